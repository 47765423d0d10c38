package io.frameflow.operators.time;

import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded-out-of-orderness watermarks that never run ahead of the wall clock.
 *
 * <p>A source partition carries many cameras but has one watermark. With plain bounded
 * out-of-orderness, one camera whose clock is a minute fast moves the partition's watermark a
 * minute ahead and every other camera's frames in it become late. Here the watermark is {@code
 * min(largest timestamp, now) - outOfOrderness}: a fast camera's frames are still processed (their
 * own windows fire once the wall clock reaches them) and an on-time camera is unaffected. Replays
 * of recorded traffic (timestamps in the past) behave exactly as plain bounded out-of-orderness.
 * Timestamps far in the future never get here: the source dead-letters them ({@code
 * max-future-skew}).
 */
public final class WallClockCappedWatermarks<T> implements WatermarkGenerator<T> {

    /** The clock, replaceable in tests. */
    @FunctionalInterface
    public interface Clock extends Serializable {
        long nowMs();
    }

    private final long outOfOrdernessMs;
    private final Clock clock;
    private long maxTimestamp;
    private long lastEmitted = Long.MIN_VALUE;

    public WallClockCappedWatermarks(Duration outOfOrderness) {
        this(outOfOrderness, System::currentTimeMillis);
    }

    public WallClockCappedWatermarks(Duration outOfOrderness, Clock clock) {
        if (outOfOrderness.isNegative()) {
            throw new IllegalArgumentException("out-of-orderness must not be negative");
        }
        this.outOfOrdernessMs = outOfOrderness.toMillis();
        this.clock = clock;
        // no event yet: the first watermark must not underflow
        this.maxTimestamp = Long.MIN_VALUE + outOfOrdernessMs + 1;
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        maxTimestamp = Math.max(maxTimestamp, eventTimestamp);
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long capped = Math.min(maxTimestamp, clock.nowMs());
        long watermark = capped - outOfOrdernessMs - 1;
        if (watermark > lastEmitted) {
            lastEmitted = watermark;
            output.emitWatermark(new Watermark(watermark));
        }
    }
}
