package io.frameflow.operators.scene;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.CameraEvent;
import io.frameflow.records.metrics.FrameFlowMetrics;
import io.frameflow.records.settings.Line;
import io.frameflow.records.settings.Point;
import io.frameflow.records.settings.Polygon;
import io.frameflow.records.settings.Zone;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.testutils.MetricListener;
import org.junit.jupiter.api.Test;

/** Lines, zones and state size per camera, under the names docs/metrics.md lists. */
class SceneMetricsTest {

    private static CameraEvent event(CameraEvent.Type type, String name, String direction) {
        return new CameraEvent(type, "cam", null, name, 1, "person", 0, 0, direction, null, 0, 0);
    }

    @Test
    void aCamerasLinesAndZonesHaveTheirSeriesAtZeroFromItsFirstFrame() {
        MetricListener listener = new MetricListener();
        SceneMetrics metrics = new SceneMetrics(listener.getMetricGroup());
        metrics.frame(
                "cam",
                List.of(new Line("door", new Point(0.5, 0), new Point(0.5, 1))),
                List.of(),
                Map.of(),
                0);
        assertThat(
                        listener.getCounter(
                                FrameFlowMetrics.GROUP,
                                FrameFlowMetrics.CAMERA,
                                "cam",
                                "line",
                                "door",
                                "direction",
                                "out",
                                "line_crossings"))
                .hasValueSatisfying(n -> assertThat(n.getCount()).isZero());
    }

    @Test
    void eventsAreCountedPerLineDirectionAndZoneAndOccupancyIsTheLatestFrames() {
        MetricListener listener = new MetricListener();
        SceneMetrics metrics = new SceneMetrics(listener.getMetricGroup());
        metrics.events(
                "cam",
                List.of(
                        event(CameraEvent.Type.LINE_CROSS, "door", CameraEvent.IN),
                        event(CameraEvent.Type.LINE_CROSS, "door", CameraEvent.IN),
                        event(CameraEvent.Type.LINE_CROSS, "door", CameraEvent.OUT),
                        event(CameraEvent.Type.ZONE_ENTER, "counter", null),
                        event(CameraEvent.Type.LOITER, "counter", null),
                        event(CameraEvent.Type.ZONE_EXIT, "counter", null)));
        List<Line> lines = List.of(new Line("door", new Point(0.5, 0), new Point(0.5, 1)));
        List<Zone> zones =
                List.of(
                        new Zone(
                                "counter",
                                Polygon.of(new Point(0, 0), new Point(1, 0), new Point(1, 1))));
        metrics.frame("cam", lines, zones, Map.of("counter", 2), 1234);
        metrics.frame("cam", lines, zones, Map.of("counter", 1), 1500);

        String g = FrameFlowMetrics.GROUP;
        String c = FrameFlowMetrics.CAMERA;
        assertThat(
                        listener.getCounter(
                                g, c, "cam", "line", "door", "direction", "in", "line_crossings"))
                .hasValueSatisfying(n -> assertThat(n.getCount()).isEqualTo(2));
        assertThat(
                        listener.getCounter(
                                g, c, "cam", "line", "door", "direction", "out", "line_crossings"))
                .hasValueSatisfying(n -> assertThat(n.getCount()).isEqualTo(1));
        assertThat(listener.getCounter(g, c, "cam", "zone", "counter", "zone_entries"))
                .hasValueSatisfying(n -> assertThat(n.getCount()).isEqualTo(1));
        assertThat(listener.getCounter(g, c, "cam", "zone", "counter", "zone_loiters"))
                .hasValueSatisfying(n -> assertThat(n.getCount()).isEqualTo(1));
        assertThat(listener.<Long>getGauge(g, c, "cam", "zone", "counter", "zone_occupancy"))
                .hasValueSatisfying(v -> assertThat(v.getValue()).isEqualTo(1L));
        assertThat(listener.<Long>getGauge(g, c, "cam", "track_state_bytes"))
                .hasValueSatisfying(v -> assertThat(v.getValue()).isEqualTo(1500L));
    }
}
