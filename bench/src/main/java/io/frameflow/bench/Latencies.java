package io.frameflow.bench;

import org.HdrHistogram.Histogram;

/** Latency percentiles in milliseconds (HdrHistogram, 3 significant digits). */
public record Latencies(long count, double p50, double p95, double p99, double max) {

    public static Latencies of(Histogram h) {
        if (h.getTotalCount() == 0) {
            return new Latencies(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Latencies(
                h.getTotalCount(),
                h.getValueAtPercentile(50),
                h.getValueAtPercentile(95),
                h.getValueAtPercentile(99),
                h.getMaxValue());
    }

    public String cells() {
        return Table.f0(p50) + " | " + Table.f0(p95) + " | " + Table.f0(p99);
    }
}
