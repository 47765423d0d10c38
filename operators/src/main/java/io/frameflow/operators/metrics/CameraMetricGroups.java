package io.frameflow.operators.metrics;

import io.frameflow.records.metrics.FrameFlowMetrics;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.groups.AbstractMetricGroup;

/**
 * One operator subtask's per-camera metrics, bounded in number and in time: the first {@link
 * FrameFlowMetrics#MAX_CAMERAS_WITH_METRICS} cameras get a {@code camera=<id>} group of their own,
 * every further camera shares the {@code camera=_other} group; a camera without frames for {@link
 * FrameFlowMetrics#CAMERA_METRICS_RETIRE_MS} has its group closed, which takes its series out of
 * the reporters and frees its place. Without both, every key that ever arrived would hold metrics
 * on every subtask and in every scrape.
 *
 * <p>Flink's public metric API cannot remove a group; its runtime groups ({@link
 * AbstractMetricGroup}, what every Flink cluster hands out) can be closed, and a group added again
 * under a closed one's name is a fresh one. Groups of any other kind are kept, as before.
 *
 * @param <T> what the caller keeps per camera (its counters and gauges)
 */
public final class CameraMetricGroups<T> {

    private final MetricGroup parent;
    private final String label;
    private final int max;
    private final long retireAfterMs;
    private final LongSupplier clock;
    private final BiFunction<MetricGroup, Boolean, T> create;
    private final Map<String, Camera<T>> cameras = new HashMap<>();
    private T overflow;
    private long nextSweep;

    /** A camera's group, what the caller keeps in it, and when it was last used. */
    private static final class Camera<T> {
        final MetricGroup group;
        final T metrics;
        long lastUsed;

        Camera(MetricGroup group, T metrics, long lastUsed) {
            this.group = group;
            this.metrics = metrics;
            this.lastUsed = lastUsed;
        }
    }

    /**
     * @param parent the operator's {@code frameflow} group
     * @param create makes a camera's metrics in its group; the flag is true for the shared overflow
     *     group (where a per-camera gauge means nothing)
     */
    public CameraMetricGroups(
            MetricGroup parent,
            int max,
            long retireAfterMs,
            LongSupplier clock,
            BiFunction<MetricGroup, Boolean, T> create) {
        this(parent, FrameFlowMetrics.CAMERA, max, retireAfterMs, clock, create);
    }

    /**
     * @param label the label the groups are keyed by: {@code camera}, or another bounded-in-time
     *     key such as {@code site}
     */
    public CameraMetricGroups(
            MetricGroup parent,
            String label,
            int max,
            long retireAfterMs,
            LongSupplier clock,
            BiFunction<MetricGroup, Boolean, T> create) {
        this.parent = parent;
        this.label = label;
        this.max = max;
        this.retireAfterMs = retireAfterMs;
        this.clock = clock;
        this.create = create;
        this.nextSweep = clock.getAsLong() + sweepEvery();
    }

    public CameraMetricGroups(
            MetricGroup parent, int max, BiFunction<MetricGroup, Boolean, T> create) {
        this(
                parent,
                max,
                FrameFlowMetrics.CAMERA_METRICS_RETIRE_MS,
                System::currentTimeMillis,
                create);
    }

    public CameraMetricGroups(MetricGroup parent, BiFunction<MetricGroup, Boolean, T> create) {
        this(parent, FrameFlowMetrics.MAX_CAMERAS_WITH_METRICS, create);
    }

    /** The camera's metrics, or the shared overflow group's once the bound is reached. */
    public T of(String camera) {
        long now = clock.getAsLong();
        if (now >= nextSweep) {
            retireIdle(now);
        }
        Camera<T> mine = cameras.get(camera);
        if (mine != null) {
            mine.lastUsed = now;
            return mine.metrics;
        }
        if (cameras.size() < max) {
            MetricGroup group = parent.addGroup(label, camera);
            mine = new Camera<>(group, create.apply(group, false), now);
            cameras.put(camera, mine);
            return mine.metrics;
        }
        if (overflow == null) {
            overflow = create.apply(parent.addGroup(label, FrameFlowMetrics.OTHER_CAMERAS), true);
        }
        return overflow;
    }

    /** Closes the groups of cameras unused for the retire time (at most once per sweep period). */
    private void retireIdle(long now) {
        nextSweep = now + sweepEvery();
        for (Iterator<Camera<T>> it = cameras.values().iterator(); it.hasNext(); ) {
            Camera<T> c = it.next();
            if (now - c.lastUsed >= retireAfterMs
                    && c.group instanceof AbstractMetricGroup<?> closable) {
                closable.close();
                it.remove();
            }
        }
    }

    private long sweepEvery() {
        return Math.max(1, Math.min(retireAfterMs / 10, 60_000));
    }

    /** Cameras with a group of their own. */
    public int size() {
        return cameras.size();
    }

    /** Whether cameras beyond the bound arrived. */
    public boolean overflowed() {
        return overflow != null;
    }
}
