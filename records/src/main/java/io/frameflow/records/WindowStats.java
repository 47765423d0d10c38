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
        Percentiles inferenceMs) {

    /** Per-frame count of one class over a window. */
    public record ClassCount(double avg, int max, int min) {}

    /** Latency percentiles in milliseconds. */
    public record Percentiles(double p50, double p95, double p99, double max) {}
}
