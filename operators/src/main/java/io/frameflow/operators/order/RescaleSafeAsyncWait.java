package io.frameflow.operators.order;

import java.time.Duration;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.async.AsyncFunction;
import org.apache.flink.streaming.api.functions.async.AsyncRetryStrategy;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperator;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;
import org.apache.flink.streaming.util.retryable.AsyncRetryStrategies;

/**
 * Flink's unordered async wait ({@code AsyncDataStream.unorderedWait}), except that the watermarks
 * it restores from a checkpoint or savepoint are dropped: the stage before {@link
 * CaptureOrderFunction}, whose watermark must prove that every frame read before it has come
 * through.
 *
 * <p>Why: the async operator keeps its in-flight elements, with the watermarks between them, as
 * operator list state and replays them on restore. After a rescale one subtask replays the lists of
 * several old subtasks, one list after the other, so a watermark from the first list goes
 * downstream before the frames of the second, which were read before it; before the rescale the
 * downstream operator took the smaller of the two subtasks' watermarks and never saw it alone.
 * {@code CaptureOrderFunction} then lets a later frame of a camera go on ahead of an earlier one,
 * and the tracker and zones see a camera step back (found as a zone entry one frame late after a
 * stop-with-savepoint and a resume at a lower parallelism, {@code TrackingFailoverITCase}).
 *
 * <p>Dropping a watermark delays event time and nothing else: the source's next watermark enters
 * the restored operator after every replayed element, and the operator holds it until they are all
 * through. Records and everything else are replayed as Flink does.
 */
public final class RescaleSafeAsyncWait {

    private RescaleSafeAsyncWait() {}

    /** As {@code AsyncDataStream.unorderedWait(in, function, timeout, capacity)}. */
    public static <IN, OUT> SingleOutputStreamOperator<OUT> unordered(
            DataStream<IN> in,
            AsyncFunction<IN, OUT> function,
            Duration timeout,
            int capacity,
            TypeInformation<OUT> outType) {
        return in.transform(
                "async wait operator",
                outType,
                new Factory<>(
                        in.getExecutionEnvironment().clean(function),
                        timeout.toMillis(),
                        capacity));
    }

    /** Makes {@link Operator}s, otherwise as Flink's factory (mailbox, chaining). */
    static final class Factory<IN, OUT> extends AsyncWaitOperatorFactory<IN, OUT> {

        private static final long serialVersionUID = 1L;

        private final AsyncFunction<IN, OUT> function;
        private final long timeoutMs;
        private final int capacity;

        Factory(AsyncFunction<IN, OUT> function, long timeoutMs, int capacity) {
            super(function, timeoutMs, capacity, AsyncDataStream.OutputMode.UNORDERED);
            this.function = function;
            this.timeoutMs = timeoutMs;
            this.capacity = capacity;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T extends StreamOperator<OUT>> T createStreamOperator(
                StreamOperatorParameters<OUT> parameters) {
            AsyncRetryStrategy<OUT> noRetry =
                    (AsyncRetryStrategy<OUT>) AsyncRetryStrategies.NO_RETRY_STRATEGY;
            return (T)
                    new Operator<>(
                            parameters,
                            function,
                            timeoutMs,
                            capacity,
                            noRetry,
                            processingTimeService,
                            getMailboxExecutor());
        }

        @Override
        @SuppressWarnings("rawtypes")
        public Class<? extends StreamOperator> getStreamOperatorClass(ClassLoader classLoader) {
            return Operator.class;
        }
    }

    /** Flink's operator; watermarks replayed while it opens (the restored ones) are dropped. */
    static final class Operator<IN, OUT> extends AsyncWaitOperator<IN, OUT> {

        private static final long serialVersionUID = 1L;

        private transient boolean replaying;

        Operator(
                StreamOperatorParameters<OUT> parameters,
                AsyncFunction<IN, OUT> function,
                long timeoutMs,
                int capacity,
                AsyncRetryStrategy<OUT> retry,
                ProcessingTimeService time,
                MailboxExecutor mailbox) {
            super(
                    parameters,
                    function,
                    timeoutMs,
                    capacity,
                    AsyncDataStream.OutputMode.UNORDERED,
                    retry,
                    time,
                    mailbox);
        }

        @Override
        public void open() throws Exception {
            // Flink's open() replays the restored elements through processElement and
            // processWatermark
            replaying = true;
            try {
                super.open();
            } finally {
                replaying = false;
            }
        }

        @Override
        public void processWatermark(Watermark mark) throws Exception {
            if (replaying) {
                return; // restored: it may be ahead of frames restored from another subtask
            }
            super.processWatermark(mark);
        }
    }
}
