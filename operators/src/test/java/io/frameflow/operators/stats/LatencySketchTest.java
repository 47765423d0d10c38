package io.frameflow.operators.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.frameflow.records.WindowStats.Percentiles;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencySketchTest {

    /** Nearest-rank percentile of sorted values. */
    private static double exact(double[] sorted, double percentile) {
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static void assertClose(double actual, double expected) {
        // the sketch's relative error plus the microsecond rounding of each recorded value
        assertThat(actual)
                .isCloseTo(expected, within(expected * LatencySketch.RELATIVE_ERROR + 0.001));
    }

    @Test
    void percentilesMatchExactValuesWithinTheSketchError() {
        Random random = new Random(42);
        double[] values = new double[20_000];
        byte[] sketch = null;
        for (int i = 0; i < values.length; i++) {
            // long-tailed, like real latencies: mostly 20-60 ms, a few seconds
            values[i] = Math.exp(3.5 + random.nextGaussian() * 0.6);
            sketch = LatencySketch.record(sketch, values[i]);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        Percentiles p = LatencySketch.percentiles(sketch);
        assertClose(p.p50(), exact(sorted, 50));
        assertClose(p.p95(), exact(sorted, 95));
        assertClose(p.p99(), exact(sorted, 99));
        assertClose(p.max(), sorted[sorted.length - 1]);
        assertThat(LatencySketch.count(sketch)).isEqualTo(values.length);
    }

    @Test
    void mergingSketchesEqualsSketchingTheUnion() {
        Random random = new Random(7);
        byte[] left = null;
        byte[] right = null;
        byte[] all = null;
        for (int i = 0; i < 5_000; i++) {
            double v = random.nextDouble() * 900 + 0.5;
            if (i % 3 == 0) {
                left = LatencySketch.record(left, v);
            } else {
                right = LatencySketch.record(right, v);
            }
            all = LatencySketch.record(all, v);
        }
        assertThat(LatencySketch.percentiles(LatencySketch.merge(left, right)))
                .isEqualTo(LatencySketch.percentiles(all));
        assertThat(LatencySketch.count(LatencySketch.merge(left, right))).isEqualTo(5_000);
    }

    @Test
    void emptySketchReportsZeros() {
        assertThat(LatencySketch.percentiles(null)).isEqualTo(new Percentiles(0, 0, 0, 0));
        assertThat(LatencySketch.merge(null, null)).isNull();
    }

    @Test
    void encodedSketchStaysSmall() {
        byte[] sketch = null;
        for (int i = 0; i < 10_000; i++) {
            sketch = LatencySketch.record(sketch, 10 + (i % 500));
        }
        // a few hundred distinct buckets, not ten thousand values
        assertThat(sketch.length).isLessThan(4_096);
    }
}
