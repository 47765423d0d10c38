package io.frameflow.operators.track;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.operators.inference.InferenceResult;
import io.frameflow.records.Detection;
import io.frameflow.records.Frame;
import io.frameflow.records.FrameDetections;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tracker in keyed state: ids on the detections, across a restore, never starting again. */
class TrackFunctionTest {

    private KeyedOneInputStreamOperatorTestHarness<
                    String, InferenceResult.Detected, InferenceResult.Detected>
            harness;

    @BeforeEach
    void open() throws Exception {
        harness = harness();
        harness.open();
    }

    private static KeyedOneInputStreamOperatorTestHarness<
                    String, InferenceResult.Detected, InferenceResult.Detected>
            harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new TrackFunction(TrackerSettings.DEFAULTS)),
                d -> d.frame().camera(),
                Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    /** Frame {@code seq} of {@code camera} (33 ms apart) with one person per x offset given. */
    private void frame(String camera, long seq, float... xs) throws Exception {
        long ts = 1_000_000 + seq * 33;
        List<Detection> dets = new ArrayList<>();
        for (float x : xs) {
            float dx = x + seq * 4; // walking right, 4 px a frame
            dets.add(new Detection("person", 0, 0.9f, dx, 100, dx + 60, 260, null));
        }
        Frame f = new Frame(camera, seq, ts, Frame.JPEG, new byte[0], "t", 0, seq);
        harness.processElement(
                new StreamRecord<>(
                        new InferenceResult.Detected(
                                f, new FrameDetections(camera, seq, ts, 640, 480, "m", 1, dets)),
                        ts));
    }

    private List<Long> lastIds() {
        List<InferenceResult.Detected> out = harness.extractOutputValues();
        return out.get(out.size() - 1).detections().detections().stream()
                .map(Detection::trackId)
                .toList();
    }

    @Test
    void detectionsOnConfirmedTracksCarryTheirIdsFrameAfterFrame() throws Exception {
        frame("cam", 0, 50, 400);
        assertThat(lastIds()).containsOnly(Detection.NO_TRACK); // not confirmed yet
        frame("cam", 1, 50, 400);
        List<Long> ids = lastIds();
        assertThat(ids).doesNotContain(Detection.NO_TRACK).doesNotHaveDuplicates();
        for (long seq = 2; seq < 20; seq++) {
            frame("cam", seq, 50, 400);
            assertThat(lastIds()).isEqualTo(ids);
        }
        frame("other", 0, 50);
        frame("other", 1, 50);
        assertThat(lastIds()).containsExactly(1L); // ids are per camera
    }

    @Test
    void idsSurviveARestoreAndNeverStartAgainAfterTheCameraWentQuiet() throws Exception {
        frame("cam", 0, 50);
        frame("cam", 1, 50);
        List<Long> before = lastIds();
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        harness = harness();
        harness.initializeState(snapshot);
        harness.open();
        frame("cam", 2, 50);
        assertThat(lastIds()).as("same object, same id after the restore").isEqualTo(before);

        // the camera goes quiet: its tracks are cleared, its id counter is not
        harness.processWatermark(new Watermark(1_000_000 + 60_000));
        assertThat(harness.numEventTimeTimers()).isZero();
        frame("cam", 5_000, 50);
        frame("cam", 5_001, 50);
        assertThat(lastIds()).containsExactly(before.get(0) + 1);
    }
}
