package io.frameflow.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.operators.model.DetectedFrame;
import io.frameflow.records.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** {@link DetectFunction} inside Flink's async wait operator, in the operator test harness. */
class DetectFunctionHarnessTest {

    private static OneInputStreamOperatorTestHarness<Frame, DetectedFrame> harness(
            DetectFunction fn, long timeoutMs, int capacity) throws Exception {
        return new OneInputStreamOperatorTestHarness<>(
                new AsyncWaitOperatorFactory<>(
                        fn, timeoutMs, capacity, AsyncDataStream.OutputMode.UNORDERED),
                TypeInformation.of(Frame.class).createSerializer(new SerializerConfigImpl()));
    }

    @SuppressWarnings("unchecked")
    private static List<DetectedFrame> results(
            OneInputStreamOperatorTestHarness<Frame, DetectedFrame> h) {
        List<DetectedFrame> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                out.add(((StreamRecord<DetectedFrame>) r).getValue());
            }
        }
        return out;
    }

    private static DetectorConfig yunet(int maxBatch, long delayMs) {
        return DetectorConfig.of(TestFrames.model("yunet_n_dynamic.onnx"))
                .withDevice("cpu")
                .withThreads(1, 1, false)
                .withBatching(maxBatch, delayMs);
    }

    @Test
    void unorderedEmitsOneResultPerFrameWithTheEnginesDetections() throws Exception {
        List<byte[]> clip = TestFrames.clip("face-walk-pause");
        Map<Long, Integer> expected = new TreeMap<>();
        try (DetectorEngine engine = DetectorEngine.open(yunet(1, 0))) {
            for (int i = 0; i < clip.size(); i++) {
                expected.put((long) i, engine.detect(clip.get(i)).detections().size());
            }
        }
        DetectFunction fn = new DetectFunction(yunet(8, 20), 30_000);
        try (var h = harness(fn, 30_000, 16)) {
            h.open();
            for (int i = 0; i < clip.size(); i++) {
                h.processElement(new StreamRecord<>(TestFrames.frame("cam-a", i, clip.get(i)), i));
            }
            h.endInput();
            List<DetectedFrame> out = results(h);
            Map<Long, Integer> actual = new TreeMap<>();
            for (DetectedFrame d : out) {
                assertThat(d.failed()).as("error %s", d.error()).isFalse();
                assertThat(d.detections().model()).isEqualTo("yunet_n_dynamic");
                assertThat(d.detections().width()).isEqualTo(480);
                assertThat(d.detections().inferenceMs()).isPositive();
                actual.put(d.frame().seq(), d.detections().detections().size());
            }
            assertThat(out).hasSize(clip.size());
            assertThat(actual).isEqualTo(expected);
            // YuNet has a dynamic batch: frames queued together ran in one ORT call
            assertThat(fn.batchSizes().getStatistics().getMax()).isGreaterThan(1);
        }
    }

    @Test
    void capacityBoundsFramesInFlight() throws Exception {
        List<byte[]> clip = TestFrames.clip("face-walk-pause").subList(0, 6);
        // a long batch delay would gather all 6 frames if more than one were in flight
        DetectFunction fn = new DetectFunction(yunet(8, 150), 30_000);
        try (var h = harness(fn, 30_000, 1)) {
            h.open();
            for (int i = 0; i < clip.size(); i++) {
                h.processElement(new StreamRecord<>(TestFrames.frame("cam-a", i, clip.get(i)), i));
            }
            h.endInput();
            assertThat(results(h)).hasSize(6).noneMatch(DetectedFrame::failed);
            assertThat(fn.batchSizes().getStatistics().getMax()).isEqualTo(1L);
            assertThat(fn.batchSizes().getCount()).isEqualTo(6);
        }
    }

    @Test
    void undecodableFrameBecomesAFailedResultAndOthersStillSucceed() throws Exception {
        DetectFunction fn =
                new DetectFunction(
                        DetectorConfig.of(TestFrames.model("yolox_nano.onnx"))
                                .withDevice("cpu")
                                .withThreads(1, 1, false),
                        30_000);
        byte[] garbage = "definitely not a jpeg, just text".getBytes();
        byte[] truncatedHeader = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
        try (var h = harness(fn, 30_000, 8)) {
            h.open();
            h.processElement(new StreamRecord<>(TestFrames.frame("cam-a", 0, garbage), 0));
            h.processElement(
                    new StreamRecord<>(
                            TestFrames.frame("cam-a", 1, TestFrames.read("images/bus.jpg")), 1));
            h.processElement(new StreamRecord<>(TestFrames.frame("cam-b", 2, truncatedHeader), 2));
            h.processElement(new StreamRecord<>(TestFrames.frame("cam-b", 3, null), 3));
            h.endInput();
            Map<Long, DetectedFrame> bySeq = new TreeMap<>();
            results(h).forEach(d -> bySeq.put(d.frame().seq(), d));
            assertThat(bySeq).hasSize(4);
            for (long bad : new long[] {0, 2, 3}) {
                assertThat(bySeq.get(bad).failed()).isTrue();
                assertThat(bySeq.get(bad).error()).startsWith("undecodable-image: ");
                assertThat(bySeq.get(bad).toDeadLetter().reasonCode())
                        .isEqualTo("undecodable-image");
            }
            DetectedFrame bus = bySeq.get(1L);
            assertThat(bus.failed()).isFalse();
            assertThat(bus.detections().detections())
                    .filteredOn(d -> d.label().equals("person"))
                    .hasSize(3);
            assertThat(bus.detections().width()).isEqualTo(810);
            assertThat(bus.detections().height()).isEqualTo(1080);
        }
    }

    @Test
    void timeoutEmitsAFailedFrameInsteadOfFailingTheJob() throws Exception {
        // the int8 YOLOv8n takes ~100 ms per frame here: a 50 ms timeout always fires first
        DetectFunction fn =
                new DetectFunction(
                        DetectorConfig.of(TestFrames.model("yolov8n_int8.onnx"))
                                .withDevice("cpu")
                                .withThreads(1, 1, false),
                        50);
        try (var h = harness(fn, 50, 4)) {
            h.open();
            h.setProcessingTime(0);
            h.processElement(
                    new StreamRecord<>(
                            TestFrames.frame("cam-a", 7, TestFrames.read("images/zidane.jpg")), 7));
            h.setProcessingTime(51);
            h.endInput();
            List<DetectedFrame> out = results(h);
            assertThat(out).hasSize(1);
            assertThat(out.get(0).failed()).isTrue();
            assertThat(out.get(0).error()).startsWith("inference-timeout: no result within 50 ms");
            assertThat(out.get(0).frame().seq()).isEqualTo(7);
        }
    }

    private static Frame frameAt(String camera, long seq, long captureTs, byte[] image) {
        return new Frame(camera, seq, captureTs, Frame.JPEG, image, "frames.raw", 0, seq);
    }

    private static DetectorConfig yolox() {
        return DetectorConfig.of(TestFrames.model("yolox_nano.onnx"))
                .withDevice("cpu")
                .withThreads(1, 1, false);
    }

    @Test
    void framesOlderThanTheMaxAgeAreDroppedInsteadOfInferred() throws Exception {
        byte[] bus = TestFrames.read("images/bus.jpg");
        long now = System.currentTimeMillis();
        DetectFunction fn = new DetectFunction(yolox(), 30_000, 500);
        try (var h = harness(fn, 30_000, 8)) {
            h.open();
            for (int i = 0; i < 4; i++) { // captured a minute ago: past their deadline already
                h.processElement(new StreamRecord<>(frameAt("cam-a", i, now - 60_000, bus), i));
            }
            // stamped a minute ahead: its deadline cannot pass during the test
            h.processElement(new StreamRecord<>(frameAt("cam-a", 4, now + 60_000, bus), 4));
            h.endInput();
            Map<Long, DetectedFrame> bySeq = new TreeMap<>();
            results(h).forEach(d -> bySeq.put(d.frame().seq(), d));
            assertThat(bySeq).hasSize(5);
            for (long stale = 0; stale < 4; stale++) {
                DetectedFrame d = bySeq.get(stale);
                assertThat(d.dropped()).as("frame %d dropped", stale).isTrue();
                assertThat(d.dropReason()).isEqualTo("max-age");
                assertThat(d.failed()).isFalse();
                assertThat(d.detections()).isNull();
            }
            assertThat(bySeq.get(4L).dropped()).isFalse();
            assertThat(bySeq.get(4L).failed()).isFalse();
            assertThat(bySeq.get(4L).detections().detections()).isNotEmpty();
            // only the fresh frame reached ONNX Runtime
            assertThat(fn.batchSizes().getCount()).isEqualTo(1);
        }
    }

    @Test
    void withoutAMaxAgeOldFramesAreStillInferred() throws Exception {
        byte[] bus = TestFrames.read("images/bus.jpg");
        DetectFunction fn = new DetectFunction(yolox(), 30_000);
        try (var h = harness(fn, 30_000, 8)) {
            h.open();
            h.processElement(new StreamRecord<>(frameAt("cam-a", 0, 1_000L, bus), 0));
            h.endInput();
            List<DetectedFrame> out = results(h);
            assertThat(out).hasSize(1);
            assertThat(out.get(0).dropped()).isFalse();
            assertThat(out.get(0).detections().detections()).isNotEmpty();
        }
    }

    /**
     * Test-only detector: its inference throws ONNX Runtime's own exception for frame seq 13 and
     * runs the real engine for every other frame. No real input was found that makes the engine
     * throw (extreme sizes such as 16000x2, 1x65000 and 1x1 JPEG/PNG all infer, see
     * ModelFailureITCase), so the error path is exercised here, at the operator level only.
     */
    static final class ThrowsOnSeq13DetectFunction extends DetectFunction {
        private static final long serialVersionUID = 1L;

        ThrowsOnSeq13DetectFunction(DetectorConfig config) {
            super(config, 30_000);
        }

        @Override
        protected java.util.concurrent.CompletableFuture<FrameResult> infer(
                Frame frame, long deadlineMs) {
            if (frame.seq() == 13) {
                return java.util.concurrent.CompletableFuture.failedFuture(
                        new ai.onnxruntime.OrtException(
                                "Non-zero status code returned while running Resize node"));
            }
            return super.infer(frame, deadlineMs);
        }
    }

    @Test
    void aFrameWhoseInferenceThrowsBecomesAFailedResultAndTheNextFramesStillRun() throws Exception {
        byte[] bus = TestFrames.read("images/bus.jpg");
        DetectFunction fn = new ThrowsOnSeq13DetectFunction(yolox());
        try (var h = harness(fn, 30_000, 8)) {
            h.open();
            for (long seq : new long[] {12, 13, 14, 15}) {
                h.processElement(new StreamRecord<>(TestFrames.frame("cam-a", seq, bus), seq));
            }
            h.endInput();
            Map<Long, DetectedFrame> bySeq = new TreeMap<>();
            results(h).forEach(d -> bySeq.put(d.frame().seq(), d));
            assertThat(bySeq).hasSize(4);
            DetectedFrame bad = bySeq.get(13L);
            assertThat(bad.failed()).isTrue();
            assertThat(bad.error())
                    .isEqualTo(
                            "inference-failed: OrtException: Non-zero status code returned while"
                                    + " running Resize node");
            assertThat(bad.toDeadLetter().reasonCode()).isEqualTo("inference-failed");
            assertThat(bad.toDeadLetter().value()).isEqualTo(bus);
            for (long ok : new long[] {12, 14, 15}) {
                assertThat(bySeq.get(ok).failed()).isFalse();
                assertThat(bySeq.get(ok).detections().detections()).isNotEmpty();
            }
        }
    }
}
