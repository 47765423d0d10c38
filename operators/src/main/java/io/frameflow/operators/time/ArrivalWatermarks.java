package io.frameflow.operators.time;

import java.io.Serializable;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * The job's Flink time is the wall-clock time a frame was read from Kafka, and its watermark is the
 * wall clock: it says how far the <em>job</em> has read, never what a camera's clock says.
 *
 * <p>A Kafka partition carries many cameras but has one Flink watermark. Any watermark derived from
 * capture times lets one camera decide for the others: a camera whose clock runs ahead (or that is
 * live while the others are still a backlog, after an outage or a failover) moves it past the
 * others' frames and their windows fire early; a camera whose clock is behind has every frame late.
 * Here the watermark only proves progress: once it passes a frame's arrival time, every frame read
 * before it has gone through every operator (inference reorders frames; the watermark waits behind
 * them). {@code CameraClockWindows} turns that into one event-time clock per camera, from the
 * camera's own capture times.
 *
 * <p>No idleness: a partition without frames holds nothing back, because the wall clock advances
 * without them.
 */
public final class ArrivalWatermarks<T> implements WatermarkStrategy<T> {

    private static final long serialVersionUID = 1L;

    /** The clock, replaceable in tests. */
    @FunctionalInterface
    public interface Clock extends Serializable {
        long nowMs();
    }

    private final Clock clock;

    public ArrivalWatermarks() {
        this(System::currentTimeMillis);
    }

    public ArrivalWatermarks(Clock clock) {
        this.clock = clock;
    }

    @Override
    public TimestampAssigner<T> createTimestampAssigner(TimestampAssignerSupplier.Context context) {
        return new ArrivalTime<>(clock);
    }

    @Override
    public WatermarkGenerator<T> createWatermarkGenerator(
            WatermarkGeneratorSupplier.Context context) {
        return new WallClockProgress<>(clock);
    }

    /** A frame's Flink timestamp: when it was read, never earlier than the one before. */
    static final class ArrivalTime<T> implements TimestampAssigner<T> {
        private final Clock clock;
        private long last = Long.MIN_VALUE;

        ArrivalTime(Clock clock) {
            this.clock = clock;
        }

        @Override
        public long extractTimestamp(T element, long recordTimestamp) {
            // monotonic even if the wall clock steps back, so a frame is never "before" the
            // watermark that an earlier one let through
            last = Math.max(last, clock.nowMs());
            return last;
        }
    }

    /** Emits {@code now - 1}: every frame read from now on has a later timestamp. */
    static final class WallClockProgress<T> implements WatermarkGenerator<T> {
        private final Clock clock;
        private long lastEmitted = Long.MIN_VALUE;

        WallClockProgress(Clock clock) {
            this.clock = clock;
        }

        @Override
        public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            long watermark = clock.nowMs() - 1;
            if (watermark > lastEmitted) {
                lastEmitted = watermark;
                output.emitWatermark(new Watermark(watermark));
            }
        }
    }
}
