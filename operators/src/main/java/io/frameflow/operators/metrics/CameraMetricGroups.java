package io.frameflow.operators.metrics;

import io.frameflow.records.metrics.FrameFlowMetrics;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.flink.metrics.MetricGroup;

/**
 * One operator subtask's per-camera metrics, bounded: the first {@link
 * FrameFlowMetrics#MAX_CAMERAS_WITH_METRICS} cameras get a {@code camera=<id>} group of their own,
 * every further camera shares the {@code camera=_other} group. Flink never removes a metric group,
 * so without a bound every key that ever arrived would hold metrics on every subtask and in every
 * scrape.
 *
 * @param <T> what the caller keeps per camera (its counters and gauges)
 */
public final class CameraMetricGroups<T> {

    private final MetricGroup parent;
    private final int max;
    private final BiFunction<MetricGroup, Boolean, T> create;
    private final Map<String, T> cameras = new HashMap<>();
    private T overflow;

    /**
     * @param parent the operator's {@code frameflow} group
     * @param create makes a camera's metrics in its group; the flag is true for the shared overflow
     *     group (where a per-camera gauge means nothing)
     */
    public CameraMetricGroups(
            MetricGroup parent, int max, BiFunction<MetricGroup, Boolean, T> create) {
        this.parent = parent;
        this.max = max;
        this.create = create;
    }

    public CameraMetricGroups(MetricGroup parent, BiFunction<MetricGroup, Boolean, T> create) {
        this(parent, FrameFlowMetrics.MAX_CAMERAS_WITH_METRICS, create);
    }

    /** The camera's metrics, or the shared overflow group's once the bound is reached. */
    public T of(String camera) {
        T mine = cameras.get(camera);
        if (mine != null) {
            return mine;
        }
        if (cameras.size() < max) {
            mine = create.apply(parent.addGroup(FrameFlowMetrics.CAMERA, camera), false);
            cameras.put(camera, mine);
            return mine;
        }
        if (overflow == null) {
            overflow =
                    create.apply(
                            parent.addGroup(
                                    FrameFlowMetrics.CAMERA, FrameFlowMetrics.OTHER_CAMERAS),
                            true);
        }
        return overflow;
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
