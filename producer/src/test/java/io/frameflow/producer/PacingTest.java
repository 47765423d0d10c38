package io.frameflow.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameflow.producer.produce.Backoff;
import io.frameflow.producer.produce.FrameRateGate;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class PacingTest {

    @Test
    void fpsCapKeepsEveryThirdFrameOfFifteenFpsAtFive() {
        FrameRateGate gate = new FrameRateGate(5);
        int kept = 0;
        StringBuilder pattern = new StringBuilder();
        for (int i = 0; i < 45; i++) {
            boolean k = gate.accept(Math.round(i * 1_000_000.0 / 15));
            kept += k ? 1 : 0;
            pattern.append(k ? 'x' : '.');
        }
        assertThat(kept).isEqualTo(15);
        assertThat(pattern.toString()).startsWith("x..x..x..x..");
    }

    @Test
    void fpsCapAboveTheSourceRateKeepsEverythingAndNoCapKeepsEverything() {
        FrameRateGate above = new FrameRateGate(30);
        FrameRateGate none = new FrameRateGate(0);
        for (int i = 0; i < 100; i++) {
            long t = Math.round(i * 1_000_000.0 / 15);
            assertThat(above.accept(t)).isTrue();
            assertThat(none.accept(t)).isTrue();
        }
    }

    @Test
    void afterAGapTheGridRestartsInsteadOfBursting() {
        FrameRateGate gate = new FrameRateGate(10); // 100 ms
        assertThat(gate.accept(0)).isTrue();
        assertThat(gate.accept(5_000_000)).isTrue(); // 5 s stall
        assertThat(gate.accept(5_040_000)).isFalse();
        assertThat(gate.accept(5_100_000)).isTrue();
    }

    @Test
    void backoffDoublesUpToTheMaximumAndResets() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(700));
        assertThat(b.nextDelayMillis()).isEqualTo(100);
        assertThat(b.nextDelayMillis()).isEqualTo(200);
        assertThat(b.nextDelayMillis()).isEqualTo(400);
        assertThat(b.nextDelayMillis()).isEqualTo(700);
        assertThat(b.nextDelayMillis()).isEqualTo(700);
        b.reset();
        assertThat(b.nextDelayMillis()).isEqualTo(100);
    }

    @Test
    void durationsReadTheWayPeopleWriteThem() {
        assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationConverter.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DurationConverter.parse("1.5m")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DurationConverter.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(DurationConverter.parse("12")).isEqualTo(Duration.ofSeconds(12));
        assertThat(DurationConverter.parse("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> DurationConverter.parse("soon"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("30s");
    }
}
