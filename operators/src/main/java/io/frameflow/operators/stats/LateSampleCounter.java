package io.frameflow.operators.stats;

import io.frameflow.operators.metrics.CameraMetricGroups;
import io.frameflow.records.metrics.FrameFlowMetrics;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the frame samples that arrived after their window had fired (plus allowed lateness), per
 * camera, so frames missing from {@code frames.stats} are never silent: their detections and
 * annotated frames were still written, only the window count misses them. Emits nothing.
 */
public class LateSampleCounter extends ProcessFunction<FrameSample, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(LateSampleCounter.class);

    private transient Metrics metrics;

    @Override
    public void open(OpenContext openContext) {
        metrics = new Metrics(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(FrameSample sample, Context ctx, Collector<Void> out) {
        if (metrics.count(sample.camera())) {
            LOG.warn(
                    "Camera {}: a frame captured at {} arrived after its stats window closed on"
                            + " the camera's own clock (its later frames had moved on, or it had"
                            + " been quiet for --close-windows-after); it is missing from frames.stats."
                            + " Raise --out-of-orderness, --allowed-lateness or --close-windows-after"
                            + " if this repeats (metric frameflow_camera_frames_late).",
                    sample.camera(),
                    sample.captureTs());
        }
    }

    /**
     * {@code frameflow / camera=<id> / frames_late} counters, bounded in the number of cameras
     * ({@link CameraMetricGroups}); the warning is logged once per camera, for as many cameras.
     */
    static final class Metrics {

        static final String NAME = FrameFlowMetrics.NAME_FRAMES_LATE;

        private final CameraMetricGroups<Counter> counters;
        private final Set<String> warned = new HashSet<>();

        Metrics(MetricGroup operatorGroup) {
            this.counters =
                    new CameraMetricGroups<>(
                            operatorGroup.addGroup(FrameFlowMetrics.GROUP),
                            (group, shared) -> group.counter(NAME));
        }

        /** Counts one late frame; true the first time a camera is seen late. */
        boolean count(String camera) {
            counters.of(camera).inc();
            return warned.size() < FrameFlowMetrics.MAX_CAMERAS_WITH_METRICS && warned.add(camera);
        }
    }
}
