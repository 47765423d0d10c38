package io.frameflow.operators.time;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * For a side input that carries no event time (the per-camera settings): its watermark is the end
 * of time from the start, so the operator it joins follows the frames' watermark alone. Without it
 * (Flink's {@code noWatermarks()}) that operator's watermark would stay at its minimum, and no
 * timer after it (tracks cleared, stats windows) would ever fire.
 */
public final class NoEventTime<T> implements WatermarkStrategy<T> {

    private static final long serialVersionUID = 1L;

    @Override
    public WatermarkGenerator<T> createWatermarkGenerator(
            WatermarkGeneratorSupplier.Context context) {
        return new WatermarkGenerator<>() {
            private boolean emitted;

            @Override
            public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                if (!emitted) {
                    output.emitWatermark(new Watermark(Long.MAX_VALUE));
                    emitted = true;
                }
            }
        };
    }
}
