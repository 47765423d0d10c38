package io.frameflow.connectors.source;

import io.frameflow.operators.metrics.DeadLetterMetrics;
import io.frameflow.records.DeadLetter;
import io.frameflow.records.Frame;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Sends valid frames to the main output and dead letters to {@link #DEAD_LETTERS}, counting them by
 * reason ({@code frameflow / reason=<code> / dead_letters}).
 */
public class SplitDeadLetters extends ProcessFunction<ValidatedRecord, Frame> {

    private static final long serialVersionUID = 1L;

    /** Side output with the records rejected at the source. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private transient DeadLetterMetrics metrics;

    @Override
    public void open(OpenContext openContext) {
        metrics = DeadLetterMetrics.forValidator(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(ValidatedRecord in, Context ctx, Collector<Frame> out) {
        if (in.isFrame()) {
            out.collect(in.frame());
        } else {
            metrics.count(in.deadLetter());
            ctx.output(DEAD_LETTERS, in.deadLetter());
        }
    }
}
