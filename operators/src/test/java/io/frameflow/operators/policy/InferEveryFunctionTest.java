package io.frameflow.operators.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.operators.inference.InferenceResult;
import io.frameflow.operators.settings.SettingsBroadcast;
import io.frameflow.records.Frame;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.settings.SettingsUpdate;
import io.frameflow.testkit.SharedFrames;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A camera's inferEvery sends every n-th frame to the detector and the others around it. */
class InferEveryFunctionTest {

    private BroadcastOperatorTestHarness<Frame, SettingsUpdate, Frame> harness;
    private byte[] jpeg;

    @BeforeEach
    void open() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
                        new InferEveryFunction(
                                Map.of(
                                        "from-file",
                                        "{\"inferEvery\":2}".getBytes(StandardCharsets.UTF_8))),
                        SettingsBroadcast.STATE);
        // media/README.md: the classroom frames are 480x270
        jpeg =
                SharedFrames.load().stream()
                        .filter(f -> f.camera().equals("classroom"))
                        .findFirst()
                        .orElseThrow()
                        .jpeg();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void settings(String key, String json) throws Exception {
        harness.processBroadcastElement(
                new SettingsUpdate(
                        key.getBytes(StandardCharsets.UTF_8),
                        json.getBytes(StandardCharsets.UTF_8),
                        "frames.config",
                        0,
                        0),
                0);
    }

    private void frame(String camera, long seq) throws Exception {
        harness.processElement(
                new StreamRecord<>(
                        new Frame(camera, seq, 1000 + seq, Frame.JPEG, jpeg, "t", 0, seq), seq));
    }

    private List<Long> inferred() {
        return harness.extractOutputValues().stream().map(Frame::seq).toList();
    }

    private List<FrameDetections> carried() {
        return harness.getSideOutput(InferEveryFunction.CARRIED).stream()
                .map(r -> ((InferenceResult.Detected) r.getValue()).detections())
                .toList();
    }

    @Test
    void everyThirdFrameIsInferredAndTheOthersGoAroundMarkedPredicted() throws Exception {
        settings("cam", "{\"inferEvery\":3}");
        for (long seq = 0; seq < 7; seq++) {
            frame("cam", seq);
        }
        frame("cam", Frame.NO_SEQ); // no seq: always inferred
        assertThat(inferred()).containsExactly(0L, 3L, 6L, Frame.NO_SEQ);
        assertThat(carried()).extracting(FrameDetections::seq).containsExactly(1L, 2L, 4L, 5L);
        assertThat(carried())
                .allSatisfy(
                        d -> {
                            assertThat(d.predicted()).isTrue();
                            assertThat(d.detections()).isEmpty();
                            assertThat(d.model()).isEqualTo(InferEveryFunction.PREDICTED_BY);
                            // the size from the JPEG header, as the detector would say
                            assertThat(d.width()).isEqualTo(480);
                            assertThat(d.height()).isEqualTo(270);
                        });
    }

    @Test
    void camerasWithoutSettingsInferEveryFrameAndTheFilesSettingsApplyUnderTheTopics()
            throws Exception {
        frame("other", 1);
        frame("from-file", 1); // --camera-config: every 2nd
        frame("from-file", 2);
        settings("from-file", "{\"inferEvery\":1}"); // the topic's document wins
        frame("from-file", 3);
        settings("from-file", "{\"inferEvery\":0}"); // refused: keeps every frame
        frame("from-file", 5);
        assertThat(inferred()).containsExactly(1L, 2L, 3L, 5L);
        assertThat(carried()).extracting(FrameDetections::seq).containsExactly(1L);
    }
}
