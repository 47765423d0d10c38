package io.frameflow.viewer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** All cameras seen on the annotated and stats topics, by camera id. */
public final class CameraRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(CameraRegistry.class);

    private final ConcurrentMap<String, CameraState> cameras = new ConcurrentHashMap<>();
    private final int maxCameras;
    private final long historySpanMs;
    private final AtomicLong refused = new AtomicLong();
    private final FrameSignal signal = new FrameSignal();

    public CameraRegistry(int maxCameras, long historySpanMs) {
        this.maxCameras = maxCameras;
        this.historySpanMs = historySpanMs;
    }

    /** The camera's state, created on first sight; empty when the camera limit is reached. */
    Optional<CameraState> getOrCreate(String camera) {
        CameraState state = cameras.get(camera);
        if (state != null) {
            return Optional.of(state);
        }
        if (cameras.size() >= maxCameras) {
            if (refused.getAndIncrement() == 0) {
                LOG.warn(
                        "More than {} cameras on the topics; ignoring new ones such as '{}'"
                                + " (raise --max-cameras)",
                        maxCameras,
                        camera);
            }
            return Optional.empty();
        }
        return Optional.of(
                cameras.computeIfAbsent(camera, id -> new CameraState(id, historySpanMs, signal)));
    }

    /** Rings on every camera's new frame. */
    FrameSignal signal() {
        return signal;
    }

    public Optional<CameraState> get(String camera) {
        return Optional.ofNullable(cameras.get(camera));
    }

    /** All cameras, sorted by id. */
    public List<CameraState> all() {
        List<CameraState> list = new ArrayList<>(cameras.values());
        list.sort((a, b) -> a.camera().compareTo(b.camera()));
        return Collections.unmodifiableList(list);
    }

    /** Records of cameras beyond the limit, ignored. */
    public long refusedRecords() {
        return refused.get();
    }
}
