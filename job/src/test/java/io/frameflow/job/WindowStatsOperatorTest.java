package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.operators.policy.DropEvent;
import io.frameflow.operators.stats.CameraClockWindows;
import io.frameflow.operators.stats.FrameSample;
import io.frameflow.records.WindowStats;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stats window operator exactly as {@link FrameFlowJob} builds it. Elements carry their arrival
 * time as the Flink timestamp and watermarks are arrival times (the job's progress), as in the job;
 * capture times are in the samples. Each camera's windows follow its own capture times.
 */
class WindowStatsOperatorTest {

    private static final Duration SIZE = Duration.ofSeconds(10);
    private static final Duration LATENESS = Duration.ofSeconds(2);
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(2);
    private static final Duration CLOSE_AFTER = Duration.ofSeconds(60);

    private KeyedOneInputStreamOperatorTestHarness<String, FrameSample, WindowStats> harness;

    @BeforeEach
    void open() throws Exception {
        harness = harness();
        harness.setProcessingTime(0);
        harness.open();
    }

    @SuppressWarnings("unchecked")
    private static KeyedOneInputStreamOperatorTestHarness<String, FrameSample, WindowStats>
            harness() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        var source = env.fromData(new FrameSample("x", 0, true, 0, 0, Map.of(), null));
        var stats =
                FrameFlowJob.windowStats(
                        source,
                        new CameraClockWindows(SIZE, LATENESS, OUT_OF_ORDERNESS, CLOSE_AFTER));
        OneInputStreamOperator<FrameSample, WindowStats> operator =
                ((OneInputTransformation<FrameSample, WindowStats>) stats.getTransformation())
                        .getOperator();
        return new KeyedOneInputStreamOperatorTestHarness<>(
                operator, FrameSample::camera, Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void frame(String camera, long captureTs, long arrival, int persons) throws Exception {
        harness.processElement(
                new StreamRecord<>(
                        new FrameSample(
                                camera, captureTs, false, 30, 5, Map.of("person", persons), null),
                        arrival));
    }

    private void drop(String camera, long captureTs, long arrival) throws Exception {
        harness.processElement(
                new StreamRecord<>(
                        FrameSample.dropped(new DropEvent(camera, captureTs, "max-fps")), arrival));
    }

    private List<WindowStats> fired() {
        return harness.extractOutputValues();
    }

    private List<Long> late() {
        var late = harness.getSideOutput(FrameFlowJob.LATE_SAMPLES);
        return late == null ? List.of() : late.stream().map(r -> r.getValue().captureTs()).toList();
    }

    @Test
    void aWindowFiresWhenItsOwnCamerasConfirmedCaptureTimesPassItsEnd() throws Exception {
        for (int i = 0; i <= 28; i++) {
            frame("cam-a", 1_000 + i * 400, 500, i % 3); // 1.0 .. 12.2 s, all read at 500
        }
        for (int i = 0; i < 5; i++) {
            frame("cam-b", 2_000 + i * 100, 600, 1);
            drop("cam-b", 2_050 + i * 100, 600);
        }
        harness.processWatermark(new Watermark(499));
        assertThat(fired()).as("nothing is confirmed before the job has read past it").isEmpty();

        harness.processWatermark(new Watermark(10_000));
        // cam-a's clock: 12.2 s - 2 s out-of-orderness passes 10 s; cam-b's (2.45 s) does not
        List<WindowStats> out = fired();
        assertThat(out).extracting(WindowStats::camera).containsExactly("cam-a");
        WindowStats a = out.get(0);
        assertThat(a.windowStart()).isZero();
        assertThat(a.windowEnd()).isEqualTo(10_000);
        assertThat(a.frames()).isEqualTo(23); // 1000 + 22*400 = 9800 < 10000
        assertThat(a.fps()).isEqualTo(2.3);

        // cam-b's window waits for cam-b, however far the job's watermark goes
        harness.processWatermark(new Watermark(50_000));
        assertThat(fired()).hasSize(1);
        frame("cam-b", 13_000, 50_100, 1);
        harness.processWatermark(new Watermark(50_100));
        WindowStats b = fired().get(1);
        assertThat(b.camera()).isEqualTo("cam-b");
        assertThat(b.frames()).isEqualTo(5);
        assertThat(b.dropped()).isEqualTo(5);
        assertThat(b.counts().get("person")).isEqualTo(new WindowStats.ClassCount(1.0, 1, 1));
        assertThat(late()).isEmpty();
    }

    @Test
    void aCameraAheadOrALiveCameraNextToABacklogMakesNoOtherCameraLate() throws Exception {
        // the live camera's frames (capture time = now) are read first, then the backlog of a
        // camera whose frames are 10 minutes old; with one watermark per partition made of capture
        // times, every backlog frame would be late
        long now = 1_700_000_000_000L;
        for (int i = 0; i < 30; i++) {
            frame("live", now + i * 500, 1_000 + i, 1);
        }
        harness.processWatermark(new Watermark(1_100));
        for (int i = 0; i < 30; i++) {
            frame("backlog", now - 600_000 + i * 500, 1_200 + i, 2);
        }
        harness.processWatermark(new Watermark(1_300));
        assertThat(late()).isEmpty();
        assertThat(fired())
                .filteredOn(s -> s.camera().equals("backlog"))
                .extracting(WindowStats::frames)
                .as("the backlog camera's complete window, all of its frames")
                .containsExactly(20L);
    }

    @Test
    void framesReorderedByInferenceAreNotLateWhileTheJobHasNotReadPastThem() throws Exception {
        // read in capture order (arrival 100 then 200) but the later one came out of inference
        // first: its capture time is not the camera's clock until arrival 200 is confirmed, and by
        // then the earlier frame has come through
        frame("cam-a", 20_000, 200, 1);
        frame("cam-a", 1_000, 100, 1);
        harness.processWatermark(new Watermark(200));
        assertThat(late()).isEmpty();
        assertThat(fired()).extracting(WindowStats::frames).containsExactly(1L);
    }

    @Test
    void lateFrameWithinAllowedLatenessUpdatesTheWindow() throws Exception {
        frame("cam-a", 1_000, 100, 1);
        frame("cam-a", 12_500, 200, 1); // clock 10.499 s: [0, 10 s) fires, lateness until 12 s
        harness.processWatermark(new Watermark(200));
        frame("cam-a", 9_000, 300, 1); // late, within lateness: the window fires again
        assertThat(fired()).extracting(WindowStats::frames).containsExactly(1L, 2L);
        assertThat(late()).isEmpty();
    }

    @Test
    void framesAfterTheWindowAndItsLatenessGoToTheLateSideOutputNotSilentlyAway() throws Exception {
        frame("cam-a", 1_000, 100, 1);
        frame("cam-a", 20_000, 200, 1); // clock 17.999 s: [0, 10 s) fired and gone
        harness.processWatermark(new Watermark(200));
        assertThat(fired()).hasSize(1);

        frame("cam-a", 2_000, 300, 2);
        assertThat(fired()).hasSize(1);
        assertThat(late()).containsExactly(2_000L);
    }

    @Test
    void aQuietCameraHasItsOpenWindowsEmittedThenItsStateForgotten() throws Exception {
        frame("cam-a", 1_000, 100, 1);
        frame("cam-a", 3_000, 200, 1);
        harness.processWatermark(new Watermark(200));
        assertThat(fired()).isEmpty();

        harness.setProcessingTime(60_300);
        harness.processWatermark(new Watermark(60_300)); // quiet for 60 s
        assertThat(fired()).extracting(WindowStats::frames).containsExactly(2L);
        // a frame of the closed window is late, not a second record for the same window
        frame("cam-a", 4_000, 60_400, 1);
        assertThat(late()).containsExactly(4_000L);
        assertThat(fired()).hasSize(1);

        harness.processWatermark(new Watermark(300_000));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void afterARestoreNoCameraIsQuietBeforeItsBacklogHadTimeToBeRead() throws Exception {
        frame("cam-a", 1_000, 100, 1);
        harness.processWatermark(new Watermark(200));
        OperatorSubtaskState snapshot = harness.snapshot(1, 300);
        harness.close();

        // restored ten minutes later: the job's watermark jumps to the wall clock at once
        harness = harness();
        harness.setProcessingTime(600_000);
        harness.initializeState(snapshot);
        harness.open();
        harness.processWatermark(new Watermark(600_000));
        assertThat(fired()).as("not quiet: the backlog may still be unread").isEmpty();
        frame("cam-a", 2_000, 600_100, 1); // the backlog
        frame("cam-a", 12_500, 600_200, 1);
        harness.processWatermark(new Watermark(600_200));
        assertThat(fired()).extracting(WindowStats::frames).containsExactly(2L);
        assertThat(late()).isEmpty();
    }

    @Test
    void theEndOfABoundedInputEmitsEveryOpenWindow() throws Exception {
        frame("cam-a", 1_000, 100, 1);
        frame("cam-b", 5_000, 100, 1);
        harness.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(fired())
                .extracting(WindowStats::camera)
                .containsExactlyInAnyOrder("cam-a", "cam-b");
        assertThat(harness.numKeyedStateEntries()).isZero();
    }
}
