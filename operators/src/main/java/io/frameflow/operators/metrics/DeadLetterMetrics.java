package io.frameflow.operators.metrics;

import io.frameflow.records.DeadLetter;
import io.frameflow.records.metrics.FrameFlowMetrics;
import io.frameflow.records.wire.RejectReason;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The {@code frameflow / reason=<code> / dead_letters} counters of one operator (see
 * docs/metrics.md). Create it in {@code open()}: the codes of {@link RejectReason} are registered
 * up front, so they export 0 before the first bad record; other codes (e.g. from inference) are
 * registered on first use.
 */
public final class DeadLetterMetrics {

    public static final String GROUP = FrameFlowMetrics.GROUP;
    public static final String REASON_KEY = FrameFlowMetrics.REASON;
    public static final String COUNTER = FrameFlowMetrics.NAME_DEAD_LETTERS;

    private final MetricGroup frameflow;
    private final Map<String, Counter> byReason = new HashMap<>();

    /** Registers under {@code operatorGroup / frameflow}. */
    public DeadLetterMetrics(MetricGroup operatorGroup, RejectReason... preRegistered) {
        this.frameflow = operatorGroup.addGroup(GROUP);
        for (RejectReason r : preRegistered) {
            counter(r.code());
        }
    }

    /** With every {@link RejectReason} registered up front: for the source-side validator. */
    public static DeadLetterMetrics forValidator(MetricGroup operatorGroup) {
        return new DeadLetterMetrics(operatorGroup, RejectReason.values());
    }

    public void count(DeadLetter deadLetter) {
        counter(deadLetter.reasonCode()).inc();
    }

    /** The counter for a reason code, registered on first use. */
    public Counter counter(String reasonCode) {
        return byReason.computeIfAbsent(
                reasonCode, code -> frameflow.addGroup(REASON_KEY, code).counter(COUNTER));
    }
}
