package io.frameflow.operators.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class WallClockCappedWatermarksTest {

    private static final long NOW = 1_800_000_000_000L;

    private static final class Recorder implements WatermarkOutput {
        final List<Long> watermarks = new ArrayList<>();

        @Override
        public void emitWatermark(Watermark watermark) {
            watermarks.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
    }

    private long now = NOW;

    private WallClockCappedWatermarks<String> generator() {
        return new WallClockCappedWatermarks<>(Duration.ofSeconds(2), () -> now);
    }

    @Test
    void pastTimestampsGiveThePlainBoundedOutOfOrdernessWatermark() {
        WallClockCappedWatermarks<String> g = generator();
        Recorder out = new Recorder();
        g.onEvent("a", NOW - 60_000, out);
        g.onEvent("b", NOW - 50_000, out);
        g.onEvent("a", NOW - 55_000, out); // out of order: does not move it back
        g.onPeriodicEmit(out);
        assertThat(out.watermarks).containsExactly(NOW - 50_000 - 2_000 - 1);
    }

    @Test
    void aFastCameraCannotPushTheWatermarkPastTheWallClock() {
        WallClockCappedWatermarks<String> g = generator();
        Recorder out = new Recorder();
        g.onEvent("on-time", NOW - 100, out);
        g.onEvent("fast", NOW + 60_000, out); // a camera one minute fast
        g.onPeriodicEmit(out);
        // an on-time frame captured 100 ms ago is not late: it is after the watermark
        assertThat(out.watermarks).containsExactly(NOW - 2_000 - 1);
        assertThat(NOW - 100).isGreaterThan(out.watermarks.get(0));

        // as the wall clock moves on, the fast camera's windows fire in turn
        now = NOW + 70_000;
        g.onPeriodicEmit(out);
        assertThat(out.watermarks).containsExactly(NOW - 2_001, NOW + 60_000 - 2_001);
    }

    @Test
    void watermarksNeverGoBackAndNothingIsEmittedBeforeTheFirstEvent() {
        WallClockCappedWatermarks<String> g = generator();
        Recorder out = new Recorder();
        g.onPeriodicEmit(out);
        assertThat(out.watermarks).isEmpty();
        g.onEvent("x", NOW + 10_000, out);
        g.onPeriodicEmit(out);
        now = NOW - 5_000; // the clock steps back (NTP)
        g.onPeriodicEmit(out);
        assertThat(out.watermarks).containsExactly(NOW - 2_001);
    }
}
