package io.frameflow.operators.stats;

import io.frameflow.records.WindowStats.Percentiles;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * A mergeable latency sketch kept as bytes, so that window accumulators stay plain POJOs that Flink
 * serializes without Kryo. Values are recorded in microseconds in an HdrHistogram with two
 * significant digits: any percentile is within 1% of the exact value.
 */
public final class LatencySketch {

    /** Relative error bound of a reported percentile. */
    public static final double RELATIVE_ERROR = 0.01;

    private static final int SIGNIFICANT_DIGITS = 2;

    private LatencySketch() {}

    public static Histogram empty() {
        Histogram h = new Histogram(SIGNIFICANT_DIGITS); // auto-resizes to the values seen
        return h;
    }

    /** Decodes a sketch; null or empty bytes give an empty histogram. */
    public static Histogram decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return empty();
        }
        try {
            Histogram h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0);
            h.setAutoResize(true);
            return h;
        } catch (DataFormatException e) {
            throw new IllegalStateException("corrupt latency sketch", e);
        }
    }

    public static byte[] encode(Histogram h) {
        ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buf);
        byte[] out = new byte[n];
        buf.flip();
        buf.get(out);
        return out;
    }

    /** Adds one value in milliseconds to an encoded sketch and returns the new encoding. */
    public static byte[] record(byte[] sketch, double valueMs) {
        Histogram h = decode(sketch);
        h.recordValue(toMicros(valueMs));
        return encode(h);
    }

    /** The union of two encoded sketches. */
    public static byte[] merge(byte[] a, byte[] b) {
        if (a == null || a.length == 0) {
            return b;
        }
        if (b == null || b.length == 0) {
            return a;
        }
        Histogram h = decode(a);
        h.add(decode(b));
        return encode(h);
    }

    /** p50/p95/p99/max in milliseconds; all zero for an empty sketch. */
    public static Percentiles percentiles(byte[] sketch) {
        Histogram h = decode(sketch);
        if (h.getTotalCount() == 0) {
            return new Percentiles(0, 0, 0, 0);
        }
        return new Percentiles(
                h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(95) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0,
                h.getMaxValue() / 1000.0);
    }

    public static long count(byte[] sketch) {
        return decode(sketch).getTotalCount();
    }

    private static long toMicros(double ms) {
        return Math.max(0, Math.round(ms * 1000.0));
    }
}
