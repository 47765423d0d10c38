package io.frameflow.records;

import java.util.Map;

/**
 * One camera's numbers over one event-time window.
 *
 * @param camera camera id
 * @param windowStart window start, ms since epoch (inclusive)
 * @param windowEnd window end, ms since epoch (exclusive)
 * @param frames frames inferred in the window
 * @param fps frames / window length in seconds
 * @param dropped frames dropped by the drop policy in the window
 * @param counts per-class detection count per frame: avg, max, min
 * @param latencyMs end-to-end latency (capture time to emit) percentiles
 * @param inferenceMs inference time percentiles
 * @param scene the camera's lines, zones and tracks over the window ({@link SceneStats#NONE} when
 *     it has none)
 */
public record WindowStats(
        String camera,
        long windowStart,
        long windowEnd,
        long frames,
        double fps,
        long dropped,
        Map<String, ClassCount> counts,
        Percentiles latencyMs,
        Percentiles inferenceMs,
        SceneStats scene) {

    public WindowStats {
        scene = scene == null ? SceneStats.NONE : scene;
    }

    /** Stats without lines, zones or tracks. */
    public WindowStats(
            String camera,
            long windowStart,
            long windowEnd,
            long frames,
            double fps,
            long dropped,
            Map<String, ClassCount> counts,
            Percentiles latencyMs,
            Percentiles inferenceMs) {
        this(
                camera,
                windowStart,
                windowEnd,
                frames,
                fps,
                dropped,
                counts,
                latencyMs,
                inferenceMs,
                SceneStats.NONE);
    }

    /** Per-frame count of one class over a window. */
    public record ClassCount(double avg, int max, int min) {}

    /**
     * What the camera's tracks did over the window (docs/events.md).
     *
     * @param site the camera's site, or null
     * @param lines per line: crossings in and out
     * @param zones per zone: entries, and tracks inside per inferred frame (average, maximum)
     * @param tracks per class: distinct track ids seen
     */
    public record SceneStats(
            String site,
            Map<String, LineCount> lines,
            Map<String, ZoneCount> zones,
            Map<String, Integer> tracks) {

        public static final SceneStats NONE = new SceneStats(null, Map.of(), Map.of(), Map.of());

        public SceneStats {
            lines = lines == null ? Map.of() : lines;
            zones = zones == null ? Map.of() : zones;
            tracks = tracks == null ? Map.of() : tracks;
        }
    }

    /** Crossings of one line in a window. */
    public record LineCount(long in, long out) {}

    /** One zone over a window: visits begun, and tracks inside per frame. */
    public record ZoneCount(long entries, double occupancyAvg, int occupancyMax) {}

    /** Latency percentiles in milliseconds. */
    public record Percentiles(double p50, double p95, double p99, double max) {}
}
