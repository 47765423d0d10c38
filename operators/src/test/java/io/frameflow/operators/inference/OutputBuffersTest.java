package io.frameflow.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.frameflow.records.Detection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pinned output buffers grow linearly with {@code --max-batch}: one set sized for the largest
 * batch serves every batch size, instead of one set per size (1 + 2 + ... + N frames' worth).
 */
class OutputBuffersTest {

    @Test
    void everyBatchSizeUsesOneMaxBatchSetAndMatchesSingleFrameRuns() throws Exception {
        int max = 6;
        List<byte[]> frames = TestFrames.clip("classroom").subList(0, max);
        DetectorSettings settings =
                DetectorSettings.forModel(TestFrames.model("yunet_n_dynamic.onnx"))
                        .device("cpu")
                        .threads(1, 1)
                        .batching(max, Duration.ZERO)
                        .build();
        try (Detector detector = Detector.open(settings)) {
            assertThat(detector.maxBatch()).isEqualTo(max);
            List<FrameResult> single = new ArrayList<>();
            for (byte[] f : frames) {
                single.add(detector.detect(f));
            }
            for (int n = 1; n <= max; n++) {
                List<PreparedFrame> prepared = new ArrayList<>();
                for (byte[] f : frames.subList(0, n)) {
                    prepared.add(detector.prepare(f));
                }
                List<FrameResult> batched = detector.infer(prepared);
                assertThat(batched).hasSize(n);
                for (int i = 0; i < n; i++) {
                    assertSameDetections(
                            batched.get(i), single.get(i), "batch " + n + " frame " + i);
                }
            }
            ModelProfile profile = detector.profile();
            long floatsPerFrame = 0;
            for (int i = 0; i < profile.outputNames().size(); i++) {
                floatsPerFrame += profile.outputItemSize(i);
            }
            long oneMaxBatch = max * floatsPerFrame * Float.BYTES;
            // every size 1..max ran: a set per size would hold (1 + ... + 6) / 6 = 3.5 batches
            assertThat(detector.outputBytesHeld()).isLessThanOrEqualTo(oneMaxBatch);
        }
    }

    private static void assertSameDetections(FrameResult actual, FrameResult expected, String as) {
        List<Detection> a = actual.detections();
        List<Detection> e = expected.detections();
        assertThat(a).as(as).hasSameSizeAs(e);
        for (int k = 0; k < e.size(); k++) {
            assertThat(a.get(k).x1()).as(as).isCloseTo(e.get(k).x1(), within(0.5f));
            assertThat(a.get(k).y1()).as(as).isCloseTo(e.get(k).y1(), within(0.5f));
            assertThat(a.get(k).x2()).as(as).isCloseTo(e.get(k).x2(), within(0.5f));
            assertThat(a.get(k).y2()).as(as).isCloseTo(e.get(k).y2(), within(0.5f));
            assertThat(a.get(k).score()).as(as).isCloseTo(e.get(k).score(), within(1e-3f));
        }
    }
}
