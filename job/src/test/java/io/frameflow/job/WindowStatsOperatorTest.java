package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.operators.policy.DropEvent;
import io.frameflow.operators.stats.FrameSample;
import io.frameflow.records.WindowStats;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The window operator exactly as {@link FrameFlowJob} builds it, driven by watermarks. */
class WindowStatsOperatorTest {

    private static final Duration SIZE = Duration.ofSeconds(10);
    private static final Duration LATENESS = Duration.ofSeconds(2);

    private KeyedOneInputStreamOperatorTestHarness<String, FrameSample, WindowStats> harness;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void open() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        var source = env.fromData(new FrameSample("x", 0, true, 0, 0, Map.of()));
        var stats = FrameFlowJob.windowStats(source, SIZE, LATENESS);
        OneInputStreamOperator<FrameSample, WindowStats> operator =
                ((OneInputTransformation<FrameSample, WindowStats>) stats.getTransformation())
                        .getOperator();
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        operator, FrameSample::camera, Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void frame(String camera, long ts, double latency, int persons) throws Exception {
        harness.processElement(
                new StreamRecord<>(
                        new FrameSample(camera, ts, false, latency, 5, Map.of("person", persons)),
                        ts));
    }

    private void drop(String camera, long ts) throws Exception {
        harness.processElement(
                new StreamRecord<>(FrameSample.dropped(new DropEvent(camera, ts, "max-fps")), ts));
    }

    @Test
    void firesOneRecordPerCameraWindowAndClearsItsState() throws Exception {
        for (int i = 0; i < 25; i++) {
            frame("cam-a", 1_000 + i * 400, 30 + i, i % 3); // 10..11 s: two windows
        }
        for (int i = 0; i < 5; i++) {
            frame("cam-b", 2_000 + i * 100, 50, 1);
            drop("cam-b", 2_050 + i * 100);
        }
        // one accumulator per live camera window, however many frames it has seen
        assertThat(harness.numKeyedStateEntries()).isEqualTo(3);

        harness.processWatermark(new Watermark(10_000 - 1));
        var fired = harness.extractOutputValues();
        assertThat(fired)
                .extracting(WindowStats::camera)
                .containsExactlyInAnyOrder("cam-a", "cam-b");
        WindowStats a = fired.stream().filter(s -> s.camera().equals("cam-a")).findFirst().get();
        assertThat(a.windowStart()).isZero();
        assertThat(a.windowEnd()).isEqualTo(10_000);
        assertThat(a.frames()).isEqualTo(23); // 1000 + 22*400 = 9800 < 10000
        assertThat(a.fps()).isEqualTo(2.3);
        WindowStats b = fired.stream().filter(s -> s.camera().equals("cam-b")).findFirst().get();
        assertThat(b.frames()).isEqualTo(5);
        assertThat(b.dropped()).isEqualTo(5);
        assertThat(b.counts().get("person")).isEqualTo(new WindowStats.ClassCount(1.0, 1, 1));

        // contents stay until allowed lateness has passed, then everything of those windows goes
        harness.processWatermark(new Watermark(10_000 + LATENESS.toMillis() - 2));
        assertThat(harness.numKeyedStateEntries())
                .isEqualTo(3); // fired windows are kept until lateness has passed
        harness.processWatermark(new Watermark(20_000 + LATENESS.toMillis()));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.extractOutputValues()).hasSize(3);
    }

    @Test
    void lateFrameWithinAllowedLatenessUpdatesTheWindow() throws Exception {
        frame("cam-a", 1_000, 10, 1);
        harness.processWatermark(new Watermark(10_500));
        frame("cam-a", 9_000, 10, 1); // late, within lateness: window fires again
        var fired = harness.extractOutputValues();
        assertThat(fired).extracting(WindowStats::frames).containsExactly(1L, 2L);
    }

    @Test
    void framesAfterTheWindowAndItsLatenessGoToTheLateSideOutputNotSilentlyAway() throws Exception {
        frame("cam-a", 1_000, 30, 1);
        harness.processWatermark(new Watermark(10_000 + LATENESS.toMillis())); // fired and purged
        assertThat(harness.extractOutputValues()).hasSize(1);

        frame("cam-a", 2_000, 40, 2); // its window is gone
        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(harness.getSideOutput(FrameFlowJob.LATE_SAMPLES))
                .extracting(r -> r.getValue().captureTs())
                .containsExactly(2_000L);
    }
}
