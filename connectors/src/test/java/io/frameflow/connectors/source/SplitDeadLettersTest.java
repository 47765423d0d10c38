package io.frameflow.connectors.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.operators.metrics.DeadLetterMetrics;
import io.frameflow.records.DeadLetter;
import io.frameflow.records.Frame;
import io.frameflow.records.wire.RejectReason;
import java.util.List;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.testutils.MetricListener;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class SplitDeadLettersTest {

    private static final Frame FRAME =
            new Frame("cam-1", 3, 1000L, Frame.JPEG, new byte[] {1, 2}, "frames", 0, 7);
    private static final DeadLetter LETTER =
            new DeadLetter(null, new byte[] {9}, 1001L, "missing-key", "frames", 1, 8);

    @Test
    void framesGoToTheMainOutputAndDeadLettersToTheSideOutput() throws Exception {
        try (OneInputStreamOperatorTestHarness<ValidatedRecord, Frame> h =
                ProcessFunctionTestHarnesses.forProcessFunction(new SplitDeadLetters())) {
            h.processElement(ValidatedRecord.ofFrame(FRAME), 1000L);
            h.processElement(ValidatedRecord.ofDeadLetter(LETTER), 1001L);

            // the harness copies elements through Flink's serializer: compare field by field
            assertThat(h.extractOutputValues())
                    .usingRecursiveFieldByFieldElementComparator()
                    .containsExactly(FRAME);
            List<DeadLetter> side =
                    h.getSideOutput(SplitDeadLetters.DEAD_LETTERS).stream()
                            .map(StreamRecord::getValue)
                            .toList();
            assertThat(side).usingRecursiveFieldByFieldElementComparator().containsExactly(LETTER);
        }
    }

    @Test
    void countsDeadLettersByReasonCodeWithEveryValidatorReasonRegisteredUpFront() {
        MetricListener listener = new MetricListener();
        DeadLetterMetrics metrics = DeadLetterMetrics.forValidator(listener.getMetricGroup());
        for (RejectReason r : RejectReason.values()) {
            assertThat(counter(listener, r.code()).getCount()).isZero();
        }
        metrics.count(LETTER);
        metrics.count(
                new DeadLetter(
                        new byte[] {1}, new byte[0], 0, "truncated-jpeg: no EOI", "t", 0, 0));
        metrics.count(
                new DeadLetter(new byte[] {1}, new byte[0], 0, "truncated-jpeg: other", "t", 0, 1));
        metrics.count(
                new DeadLetter(
                        new byte[] {1}, new byte[0], 0, "inference-failed: boom", "t", 0, 2));

        assertThat(counter(listener, "missing-key").getCount()).isEqualTo(1);
        assertThat(counter(listener, "truncated-jpeg").getCount()).isEqualTo(2);
        assertThat(counter(listener, "inference-failed").getCount()).isEqualTo(1);
        assertThat(counter(listener, "empty-value").getCount()).isZero();
    }

    private static Counter counter(MetricListener listener, String code) {
        return listener.getCounter("frameflow", "reason", code, "dead_letters").orElseThrow();
    }
}
