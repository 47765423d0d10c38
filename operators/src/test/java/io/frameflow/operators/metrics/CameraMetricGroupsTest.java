package io.frameflow.operators.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.metrics.FrameFlowMetrics;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.testutils.MetricListener;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, fault 4: any number of camera keys must not grow the metric groups of a subtask without
 * bound (Flink never removes a group); cameras beyond the bound share one group.
 */
class CameraMetricGroupsTest {

    @Test
    void camerasBeyondTheBoundShareTheOtherGroup() {
        MetricListener listener = new MetricListener();
        List<Boolean> sharedFlags = new ArrayList<>();
        CameraMetricGroups<Counter> groups =
                new CameraMetricGroups<>(
                        listener.getMetricGroup().addGroup(FrameFlowMetrics.GROUP),
                        3,
                        (group, shared) -> {
                            sharedFlags.add(shared);
                            return group.counter("frames_in");
                        });

        for (int i = 0; i < 10_000; i++) {
            groups.of("cam-" + (i % 2000)).inc();
        }

        assertThat(groups.size()).isEqualTo(3);
        assertThat(groups.overflowed()).isTrue();
        assertThat(sharedFlags).containsExactly(false, false, false, true);
        assertThat(listener.getCounter("frameflow", "camera", "cam-0", "frames_in"))
                .hasValueSatisfying(c -> assertThat(c.getCount()).isEqualTo(5));
        assertThat(listener.getCounter("frameflow", "camera", "cam-3", "frames_in")).isEmpty();
        assertThat(
                        listener.getCounter(
                                "frameflow", "camera", FrameFlowMetrics.OTHER_CAMERAS, "frames_in"))
                .hasValueSatisfying(c -> assertThat(c.getCount()).isEqualTo(10_000 - 3 * 5));
    }

    @Test
    void theDefaultBoundIsTheContractsAndNoCameraIdLooksLikeTheOtherGroup() {
        MetricListener listener = new MetricListener();
        CameraMetricGroups<Counter> groups =
                new CameraMetricGroups<>(
                        listener.getMetricGroup(), (group, shared) -> group.counter("n"));
        for (int i = 0; i < FrameFlowMetrics.MAX_CAMERAS_WITH_METRICS + 5; i++) {
            groups.of("cam-" + i).inc();
        }
        assertThat(groups.size()).isEqualTo(FrameFlowMetrics.MAX_CAMERAS_WITH_METRICS);
        assertThat(
                        io.frameflow.records.wire.FrameWire.CAMERA_ID
                                .matcher(FrameFlowMetrics.OTHER_CAMERAS)
                                .matches())
                .isFalse();
    }
}
