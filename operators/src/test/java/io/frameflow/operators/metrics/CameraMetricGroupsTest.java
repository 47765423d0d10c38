package io.frameflow.operators.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.metrics.FrameFlowMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.testutils.MetricListener;
import org.apache.flink.runtime.metrics.groups.GenericMetricGroup;
import org.apache.flink.runtime.metrics.util.TestingMetricRegistry;
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

    @Test
    void aQuietCamerasGroupLeavesTheReportersAndFreesItsPlace() {
        Set<String> reported = new TreeSet<>();
        TestingMetricRegistry registry =
                TestingMetricRegistry.builder()
                        .setDelimiter('.')
                        .setRegisterConsumer(
                                (metric, name, group) ->
                                        reported.add(group.getMetricIdentifier(name)))
                        .setUnregisterConsumer(
                                (metric, name, group) ->
                                        reported.remove(group.getMetricIdentifier(name)))
                        .build();
        GenericMetricGroup root = new GenericMetricGroup(registry, null, "op");
        long[] now = {0};
        CameraMetricGroups<Counter> groups =
                new CameraMetricGroups<>(
                        root.addGroup(FrameFlowMetrics.GROUP),
                        2,
                        60_000,
                        () -> now[0],
                        (group, shared) -> group.counter("frames_in"));

        groups.of("cam-a").inc();
        groups.of("cam-b").inc();
        groups.of("cam-c").inc(); // beyond the bound: _other
        assertThat(reported)
                .containsExactly(
                        "op.frameflow.camera._other.frames_in",
                        "op.frameflow.camera.cam-a.frames_in",
                        "op.frameflow.camera.cam-b.frames_in");

        now[0] = 30_000;
        groups.of("cam-b").inc(); // cam-b keeps sending, cam-a went quiet
        now[0] = 70_000;
        groups.of("cam-b").inc();
        assertThat(reported)
                .as("cam-a quiet for 70 s: its series are gone")
                .doesNotContain("op.frameflow.camera.cam-a.frames_in")
                .contains("op.frameflow.camera.cam-b.frames_in");
        assertThat(groups.size()).isEqualTo(1);

        // its place is free for another camera; cam-a coming back gets a fresh group
        Counter c = groups.of("cam-c");
        c.inc();
        assertThat(c.getCount()).isEqualTo(1);
        assertThat(reported).contains("op.frameflow.camera.cam-c.frames_in");
        now[0] = 200_000;
        groups.of("cam-a").inc();
        assertThat(reported)
                .contains("op.frameflow.camera.cam-a.frames_in")
                .doesNotContain(
                        "op.frameflow.camera.cam-b.frames_in",
                        "op.frameflow.camera.cam-c.frames_in");
        assertThat(groups.of("cam-a").getCount()).isEqualTo(1);
    }
}
