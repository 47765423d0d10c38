package io.frameflow.operators.scene;

import io.frameflow.operators.metrics.CameraMetricGroups;
import io.frameflow.records.CameraEvent;
import io.frameflow.records.metrics.FrameFlowMetrics;
import io.frameflow.records.settings.Line;
import io.frameflow.records.settings.Zone;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Per-camera metrics of lines, zones and tracks (docs/metrics.md): {@code line_crossings{line,
 * direction}}, {@code zone_entries{zone}}, {@code zone_loiters{zone}}, {@code zone_occupancy{zone}}
 * and {@code track_state_bytes}, in the bounded per-camera groups of {@link CameraMetricGroups}. A
 * line's and a zone's series appear, at 0, with the camera's first frame that has them in its
 * settings, so a rate over them works from the start.
 */
public final class SceneMetrics {

    private final CameraMetricGroups<Camera> cameras;

    /**
     * @param operator the operator's metric group
     */
    public SceneMetrics(MetricGroup operator) {
        cameras = new CameraMetricGroups<>(operator.addGroup(FrameFlowMetrics.GROUP), Camera::new);
    }

    /** One camera's metrics, made as its lines and zones show up. */
    private static final class Camera {
        final MetricGroup group;
        final boolean shared; // the overflow group: no per-camera gauges
        final Map<String, Counter> counters = new HashMap<>();
        final Map<String, long[]> occupancy = new HashMap<>();
        final long[] stateBytes = new long[1];
        List<Line> registeredLines; // the settings' lists last registered (compared by identity)
        List<Zone> registeredZones;

        Camera(MetricGroup group, boolean shared) {
            this.group = group;
            this.shared = shared;
            if (!shared) {
                group.gauge(FrameFlowMetrics.NAME_TRACK_STATE_BYTES, () -> stateBytes[0]);
            }
        }

        Counter counter(String kind, String name, String direction) {
            return counters.computeIfAbsent(
                    kind + "\u0000" + name + "\u0000" + direction,
                    k -> {
                        if (direction != null) {
                            return group.addGroup(FrameFlowMetrics.LINE, name)
                                    .addGroup(FrameFlowMetrics.DIRECTION, direction)
                                    .counter(kind);
                        }
                        return group.addGroup(FrameFlowMetrics.ZONE, name).counter(kind);
                    });
        }

        void occupancy(String zone, int tracks) {
            if (shared) {
                return;
            }
            long[] value =
                    occupancy.computeIfAbsent(
                            zone,
                            z -> {
                                long[] v = new long[1];
                                group.addGroup(FrameFlowMetrics.ZONE, z)
                                        .gauge(FrameFlowMetrics.NAME_ZONE_OCCUPANCY, () -> v[0]);
                                return v;
                            });
            value[0] = tracks;
        }
    }

    /** Counts a camera's events. */
    public void events(String camera, List<CameraEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        Camera c = cameras.of(camera);
        for (CameraEvent e : events) {
            switch (e.type()) {
                case LINE_CROSS ->
                        c.counter(FrameFlowMetrics.NAME_LINE_CROSSINGS, e.name(), e.direction())
                                .inc();
                case ZONE_ENTER ->
                        c.counter(FrameFlowMetrics.NAME_ZONE_ENTRIES, e.name(), null).inc();
                case LOITER -> c.counter(FrameFlowMetrics.NAME_ZONE_LOITERS, e.name(), null).inc();
                case ZONE_EXIT -> {}
            }
        }
    }

    /**
     * A camera's frame: its lines' and zones' counters (made at 0 the first time), its zones'
     * occupancy and the size of its tracking state.
     */
    public void frame(
            String camera,
            List<Line> lines,
            List<Zone> zones,
            Map<String, Integer> occupancy,
            long stateBytes) {
        Camera c = cameras.of(camera);
        if (c.registeredLines != lines || c.registeredZones != zones) {
            // new settings (they are cached while unchanged): make any new line's or zone's series
            for (Line line : lines) {
                c.counter(FrameFlowMetrics.NAME_LINE_CROSSINGS, line.name(), CameraEvent.IN);
                c.counter(FrameFlowMetrics.NAME_LINE_CROSSINGS, line.name(), CameraEvent.OUT);
            }
            for (Zone zone : zones) {
                c.counter(FrameFlowMetrics.NAME_ZONE_ENTRIES, zone.name(), null);
                c.counter(FrameFlowMetrics.NAME_ZONE_LOITERS, zone.name(), null);
            }
            c.registeredLines = lines;
            c.registeredZones = zones;
        }
        for (Zone zone : zones) {
            c.occupancy(zone.name(), occupancy.getOrDefault(zone.name(), 0));
        }
        c.stateBytes[0] = stateBytes;
    }
}
