package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.operators.inference.InferenceResult;
import io.frameflow.operators.policy.DropEvent;
import io.frameflow.records.DeadLetter;
import io.frameflow.records.Frame;
import io.frameflow.records.FrameDetections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** Each inference outcome goes exactly one way: on, to the dead letters, or to the drops. */
class InferenceResultsTest {

    private static Frame frame(long seq) {
        return new Frame(
                "cam-a", seq, 1_000 + seq, Frame.JPEG, new byte[] {1, 2}, "frames", 0, seq);
    }

    @Test
    void routesInferredFailedAndAgedOutFramesToTheirOwnOutputs() throws Exception {
        try (OneInputStreamOperatorTestHarness<InferenceResult, InferenceResult.Detected> h =
                ProcessFunctionTestHarnesses.forProcessFunction(new InferenceResults())) {
            Frame ok = frame(1);
            h.processElement(
                    new InferenceResult.Detected(
                            ok,
                            new FrameDetections(
                                    "cam-a", 1, ok.captureTs(), 640, 480, "m", 12.5, List.of())),
                    1);
            h.processElement(
                    new InferenceResult.Failed(frame(2), "inference-failed: OrtException: boom"),
                    2);
            h.processElement(new InferenceResult.Expired(frame(3), "max-age"), 3);

            assertThat(h.extractOutputValues())
                    .extracting(d -> d.frame().seq())
                    .containsExactly(1L);
            ConcurrentLinkedQueue<StreamRecord<DeadLetter>> dead =
                    h.getSideOutput(InferenceResults.FAILED);
            assertThat(dead).hasSize(1);
            DeadLetter dl = dead.peek().getValue();
            assertThat(dl.reasonCode()).isEqualTo("inference-failed");
            assertThat(dl.value()).containsExactly(1, 2);
            assertThat(dl.sourceOffset()).isEqualTo(2);
            ConcurrentLinkedQueue<StreamRecord<DropEvent>> drops =
                    h.getSideOutput(InferenceResults.DROPPED);
            assertThat(drops.stream().map(StreamRecord::getValue).collect(Collectors.toList()))
                    .containsExactly(new DropEvent("cam-a", 1_003, "max-age"));
        }
    }

    /** Issue 15, fault 4: the gauge of a camera that left does not keep its last value. */
    @Test
    void objectsCurrentOfACameraThatLeftReadsZero() {
        long t = 1_763_000_000_000L;
        long stale = io.frameflow.records.metrics.FrameFlowMetrics.OBJECTS_CURRENT_STALE_MS;
        org.assertj.core.api.Assertions.assertThat(InferenceResults.objectsNow(4, t, t))
                .isEqualTo(4);
        org.assertj.core.api.Assertions.assertThat(InferenceResults.objectsNow(4, t, t + stale))
                .isEqualTo(4);
        org.assertj.core.api.Assertions.assertThat(InferenceResults.objectsNow(4, t, t + stale + 1))
                .isZero();
    }
}
