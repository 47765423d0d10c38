package io.frameflow.operators.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

import io.frameflow.operators.inference.InferenceResult;
import io.frameflow.operators.settings.SettingsBroadcast;
import io.frameflow.records.Frame;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.settings.SettingsUpdate;
import io.frameflow.testkit.SharedFrames;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A camera's inferEvery sends every n-th frame to the detector and the others around it; its
 * skipUnchanged sends frames that did not change around it.
 */
class InferEveryFunctionTest {

    private KeyedBroadcastOperatorTestHarness<String, Frame, SettingsUpdate, Frame> harness;
    private byte[] jpeg;

    private static InferEveryFunction function() {
        return new InferEveryFunction(
                Map.of("from-file", "{\"inferEvery\":2}".getBytes(StandardCharsets.UTF_8)));
    }

    @BeforeEach
    void open() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        function(), Frame::camera, Types.STRING, SettingsBroadcast.STATE);
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
        frame(camera, seq, 1000 + seq, jpeg);
    }

    private void frame(String camera, long seq, long captureTs, byte[] image) throws Exception {
        harness.processElement(
                new StreamRecord<>(
                        new Frame(camera, seq, captureTs, Frame.JPEG, image, "t", 0, seq), seq));
    }

    /** A flat grey 480x270 JPEG, with a white person-sized block at x when x >= 0. */
    private static byte[] scene(int x) {
        try (Mat m = new Mat(270, 480, CV_8UC3, new Scalar(90, 90, 90, 0));
                BytePointer out = new BytePointer()) {
            if (x >= 0) {
                rectangle(
                        m,
                        new Point(x, 100),
                        new Point(x + 40, 220),
                        new Scalar(255, 255, 255, 0),
                        FILLED,
                        8,
                        0);
            }
            imencode(".jpg", m, out);
            byte[] b = new byte[(int) out.limit()];
            out.get(b);
            return b;
        }
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
        for (long seq = 0; seq < 8; seq++) {
            frame("cam", seq);
        }
        frame("cam", Frame.NO_SEQ); // no seq: always inferred
        // "cam".hashCode() = 98255, 2 modulo 3: its phase, so seq + 2 a multiple of 3
        assertThat(inferred()).containsExactly(1L, 4L, 7L, Frame.NO_SEQ);
        assertThat(carried()).extracting(FrameDetections::seq).containsExactly(0L, 2L, 3L, 5L, 6L);
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
    void framesThatDidNotChangeGoAroundUntilSomethingMovesOrTwoSecondsPass() throws Exception {
        settings("cam", "{\"skipUnchanged\":0.005}");
        byte[] empty = scene(-1);
        byte[] person = scene(100);
        frame("cam", 0, 10_000, empty); // nothing to compare with: inferred
        frame("cam", 1, 10_100, empty);
        frame("cam", 2, 10_200, person); // someone came in
        frame("cam", 3, 10_300, person); // standing still
        frame("cam", 4, 10_350, scene(101)); // a pixel to the side: its edges change, inferred
        frame("cam", 5, 10_400, scene(101));
        frame("cam", 6, 12_350, scene(101)); // unchanged, but 2 s since the last inference
        frame("other", 0, 10_000, empty);
        frame("other", 1, 10_100, empty); // no skipUnchanged: every frame
        assertThat(inferred()).containsExactly(0L, 2L, 4L, 6L, 0L, 1L);
        assertThat(carried()).extracting(FrameDetections::seq).containsExactly(1L, 3L, 5L);
        assertThat(carried())
                .allSatisfy(
                        d -> {
                            assertThat(d.predicted()).isTrue();
                            assertThat(d.model()).isEqualTo(InferEveryFunction.UNCHANGED);
                            assertThat(d.width()).isEqualTo(480);
                        });
    }

    @Test
    void theReferenceFrameSurvivesARestore() throws Exception {
        settings("cam", "{\"skipUnchanged\":0.005}");
        frame("cam", 0, 10_000, scene(100));
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();
        harness =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(
                                function(), List.of(SettingsBroadcast.STATE)),
                        Frame::camera,
                        Types.STRING,
                        1,
                        1,
                        0);
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        frame("cam", 1, 10_100, scene(100));
        assertThat(inferred()).isEmpty();
        assertThat(carried()).extracting(FrameDetections::model).containsExactly("unchanged");
    }

    @Test
    void camerasWithoutSettingsInferEveryFrameAndTheFilesSettingsApplyUnderTheTopics()
            throws Exception {
        frame("other", 1);
        frame("from-file", 1); // --camera-config: every 2nd (the odd seqs: phase 1)
        frame("from-file", 2);
        settings("from-file", "{\"inferEvery\":1}"); // the topic's document wins
        frame("from-file", 4);
        settings("from-file", "{\"inferEvery\":0}"); // refused: keeps every frame
        frame("from-file", 6);
        assertThat(inferred()).containsExactly(1L, 1L, 4L, 6L);
        assertThat(carried()).extracting(FrameDetections::seq).containsExactly(2L);
    }

    /**
     * Cameras started together send the same seqs at the same time; at inferEvery 3 each infers one
     * frame in 3, and their inferred frames are spread over the three slots rather than all in one
     * (the burst the skipped frames waited behind, docs/benchmarks.md). Thirty cameras named as a
     * site names them, cam-0 to cam-29: with one phase for all, one slot would hold all 30; spread
     * by the id's hash, each holds about ten (names that differ in their last character take the
     * phases in turn, so within cam-0..cam-9 and each further ten it is 4, 3, 3).
     */
    @Test
    void camerasStartedTogetherInferInDifferentSlots() throws Exception {
        settings("*", "{\"inferEvery\":3}");
        for (long seq = 0; seq < 6; seq++) {
            for (int c = 0; c < 30; c++) {
                frame("cam-" + c, seq);
            }
        }
        Map<Long, Long> bySeq = new java.util.TreeMap<>();
        inferred().forEach(seq -> bySeq.merge(seq, 1L, Long::sum));
        assertThat(bySeq)
                .containsOnlyKeys(0L, 1L, 2L, 3L, 4L, 5L)
                .allSatisfy(
                        (seq, n) ->
                                assertThat(n)
                                        .as("cameras inferring seq %d", seq)
                                        .isBetween(9L, 11L));
        Map<String, List<Long>> byCamera = new java.util.HashMap<>();
        harness.extractOutputValues()
                .forEach(
                        f ->
                                byCamera.computeIfAbsent(f.camera(), k -> new ArrayList<>())
                                        .add(f.seq()));
        assertThat(byCamera)
                .hasSize(30)
                .allSatisfy(
                        (camera, seqs) ->
                                assertThat(seqs)
                                        .as(camera)
                                        .hasSize(2)
                                        .satisfies(
                                                s -> assertThat(s.get(1) - s.get(0)).isEqualTo(3)));
    }
}
