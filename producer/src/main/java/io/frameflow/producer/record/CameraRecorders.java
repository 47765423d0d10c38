package io.frameflow.producer.record;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ObjLongConsumer;
import org.bytedeco.javacv.FrameRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link CameraRecorder} per camera, opened at its first frame as {@code <dir>/<camera>.mp4},
 * behind a {@link ReorderBuffer} that puts the camera's frames back in capture order.
 */
final class CameraRecorders implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CameraRecorders.class);

    /** Late frames logged one by one per camera; the rest are only counted. */
    private static final int LOGGED_LATE = 10;

    /** The frames, over every camera, that are not in the videos because they were at fault. */
    record Totals(long undecodable, long late, long withoutSeq) {}

    private record Frame(long seq, long timestampMillis, byte[] jpeg) {}

    private record Camera(ReorderBuffer<Frame> order, CameraRecorder recorder) {}

    private final Path outputDir;
    private final VideoCodec codec;
    private final double fps;
    private final int bitrate;
    private final int reorderFrames;
    private final long reorderMillis;
    private final ObjLongConsumer<String> onWritten;
    private final Map<String, Camera> cameras = new LinkedHashMap<>();

    /**
     * @param fps frame rate of the videos, or 0 to derive each from its frames' timestamps
     * @param bitrate video bitrate in bit/s, or 0 for a default from size and rate
     * @param reorderFrames frames held per camera to restore capture order
     * @param reorderMillis capture-time span held per camera to restore capture order
     * @param onWritten told the camera and seq of each frame that went into a video
     */
    CameraRecorders(
            Path outputDir,
            VideoCodec codec,
            double fps,
            int bitrate,
            int reorderFrames,
            long reorderMillis,
            ObjLongConsumer<String> onWritten) {
        this.outputDir = outputDir;
        this.codec = codec;
        this.fps = fps;
        this.bitrate = bitrate;
        this.reorderFrames = reorderFrames;
        this.reorderMillis = reorderMillis;
        this.onWritten = onWritten;
    }

    /**
     * Adds a frame of {@code camera}; it is written once its place in capture order is known.
     *
     * @param seq its {@code seq} header, or -1
     */
    void add(String camera, long seq, long timestampMillis, byte[] jpeg)
            throws FrameRecorder.Exception {
        Camera c = cameras.computeIfAbsent(camera, this::open);
        long lateBefore = c.order.late();
        for (Frame f : c.order.add(seq, timestampMillis, new Frame(seq, timestampMillis, jpeg))) {
            c.recorder.add(f.seq, f.jpeg, f.timestampMillis);
        }
        if (c.order.late() > lateBefore && c.order.late() <= LOGGED_LATE) {
            LOG.warn(
                    "Camera {}: frame seq={} (captured {}) arrived after a later frame was written;"
                            + " dropped{}",
                    camera,
                    seq,
                    timestampMillis,
                    c.order.late() == LOGGED_LATE ? " (further late frames are only counted)" : "");
        }
    }

    private Camera open(String camera) {
        return new Camera(
                new ReorderBuffer<>(reorderFrames, reorderMillis),
                new CameraRecorder(
                        camera,
                        outputDir.resolve(fileName(camera)),
                        codec,
                        fps,
                        bitrate,
                        seq -> onWritten.accept(camera, seq)));
    }

    /** The cameras that had frames. */
    Set<String> cameras() {
        return cameras.keySet();
    }

    /**
     * Writes the frames still held, finishes every video and prints a line for each to {@code out}.
     */
    Totals finish(PrintStream out) throws Exception {
        long undecodable = 0;
        long late = 0;
        long withoutSeq = 0;
        for (Camera c : cameras.values()) {
            for (Frame f : c.order.flush()) {
                c.recorder.add(f.seq, f.jpeg, f.timestampMillis);
            }
            c.recorder.close();
            undecodable += c.recorder.undecodable();
            late += c.order.late();
            withoutSeq += c.order.withoutSeq();
            out.println(c.recorder.summary() + orderSummary(c.order));
        }
        return new Totals(undecodable, late, withoutSeq);
    }

    /**
     * {@code ; 12 put back in capture order, 1 late (...), dropped}, or nothing when every frame
     * came in order.
     */
    static String orderSummary(ReorderBuffer<?> o) {
        StringBuilder s = new StringBuilder();
        append(s, o.outOfOrder(), "put back in capture order");
        append(s, o.late(), "late (after a later frame was written), dropped");
        append(s, o.duplicates(), "duplicate, dropped");
        append(s, o.withoutSeq(), "without seq header, dropped");
        append(s, o.restarts(), "restart of the seq (or, without seq, of the clock)");
        return s.length() == 0 ? "" : "; " + s;
    }

    private static void append(StringBuilder s, long n, String what) {
        if (n > 0) {
            s.append(s.length() == 0 ? "" : ", ")
                    .append(String.format(Locale.ROOT, "%d %s", n, what));
        }
    }

    static String fileName(String camera) {
        String safe = camera.replaceAll("[^A-Za-z0-9._-]", "_");
        return (safe.isEmpty() ? "camera" : safe) + ".mp4";
    }

    /** Closes what is still open (after a failure); a file that cannot be closed is logged. */
    @Override
    public void close() {
        for (Camera c : cameras.values()) {
            try {
                c.recorder.close();
            } catch (Exception e) {
                LOG.warn("Could not close {}", c.recorder.file(), e);
            }
        }
    }
}
