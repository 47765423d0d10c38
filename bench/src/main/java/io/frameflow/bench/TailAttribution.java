package io.frameflow.bench;

import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Which frames of a paced phase overlapped an event window (a checkpoint, a GC pause), and how
 * their latencies compare with the others': if the windows cause the tail, the slowest 1 % of the
 * frames overlap them far more often than frames do on average.
 *
 * @param all every frame's latency
 * @param p99Overlapping p99 of the frames whose [capture, arrival] overlaps a window (ms)
 * @param p99Others p99 of the other frames (ms)
 * @param shareOverlapping share of all frames that overlap a window
 * @param slowShareOverlapping share of the slowest 1 % that overlap a window
 * @param windows windows in the phase
 * @param windowMs their mean length (ms)
 */
record TailAttribution(
        Latencies all,
        double p99Overlapping,
        double p99Others,
        double shareOverlapping,
        double slowShareOverlapping,
        int windows,
        double windowMs) {

    /**
     * @param frames {@code {capture, arrival}} per frame, wall ms
     * @param windows {@code {start, end}} per event, wall ms
     */
    static TailAttribution of(List<long[]> frames, List<long[]> windows) {
        Histogram all = new Histogram(3_600_000L, 3);
        for (long[] f : frames) {
            all.recordValue(Math.max(0, f[1] - f[0]));
        }
        long slow = all.getTotalCount() == 0 ? Long.MAX_VALUE : all.getValueAtPercentile(99);
        Histogram in = new Histogram(3_600_000L, 3);
        Histogram out = new Histogram(3_600_000L, 3);
        int slowCount = 0;
        int slowIn = 0;
        for (long[] f : frames) {
            long latency = Math.max(0, f[1] - f[0]);
            boolean overlaps = false;
            for (long[] w : windows) {
                if (w[0] <= f[1] && w[1] >= f[0]) {
                    overlaps = true;
                    break;
                }
            }
            (overlaps ? in : out).recordValue(latency);
            if (latency >= slow) {
                slowCount++;
                slowIn += overlaps ? 1 : 0;
            }
        }
        double meanWindow =
                windows.stream().mapToLong(w -> w[1] - w[0]).average().orElse(Double.NaN);
        return new TailAttribution(
                Latencies.of(all),
                p99(in),
                p99(out),
                frames.isEmpty() ? Double.NaN : in.getTotalCount() / (double) frames.size(),
                slowCount == 0 ? Double.NaN : slowIn / (double) slowCount,
                windows.size(),
                meanWindow);
    }

    private static double p99(Histogram h) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(99);
    }
}
