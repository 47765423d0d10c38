package io.frameflow.operators.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.functions.async.AsyncFunction;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.operators.OneInputStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * A rescale from two async subtasks to one, in the operator test harness: the frames both had in
 * flight come out of the restored operator, and no watermark before a frame read before it (the
 * proof {@link CaptureOrderFunction} releases held frames on).
 */
class RescaleSafeAsyncWaitTest {

    static final int MAX_PARALLELISM = 128;

    /** Answers nothing until told to: the frames stay in flight when the snapshot is taken. */
    static final class Holding implements AsyncFunction<Long, Long> {
        private static final long serialVersionUID = 1L;
        final List<ResultFuture<Long>> pending = new CopyOnWriteArrayList<>();

        @Override
        public void asyncInvoke(Long in, ResultFuture<Long> out) {
            pending.add(out);
        }
    }

    /** Answers each element at once with itself. */
    static final class Echo implements AsyncFunction<Long, Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public void asyncInvoke(Long in, ResultFuture<Long> out) {
            out.complete(List.of(in));
        }
    }

    interface Factories {
        OneInputStreamOperatorFactory<Long, Long> of(AsyncFunction<Long, Long> function);
    }

    static final Factories RESCALE_SAFE = f -> new RescaleSafeAsyncWait.Factory<>(f, 60_000, 16);

    static final Factories FLINKS =
            f ->
                    new AsyncWaitOperatorFactory<>(
                            f, 60_000, 16, AsyncDataStream.OutputMode.UNORDERED);

    private static OneInputStreamOperatorTestHarness<Long, Long> harness(
            Factories factories, AsyncFunction<Long, Long> f, int parallelism, int subtask)
            throws Exception {
        var h =
                new OneInputStreamOperatorTestHarness<>(
                        factories.of(f), MAX_PARALLELISM, parallelism, subtask);
        // the async operator reads its input serializer (for its state) from the config
        h.getStreamConfig().setupNetworkInputs(LongSerializer.INSTANCE);
        h.getStreamConfig().serializeAllConfigs();
        h.setup(LongSerializer.INSTANCE);
        return h;
    }

    /**
     * Two subtasks with frames in flight (the value is the frame, the timestamp its arrival, as the
     * job's source stamps them; every subtask gets every watermark): subtask 0 read 1 and 3, then
     * the watermark 35, then 5; subtask 1 read 2, the watermark 25, then 4. Snapshot both, restore
     * one subtask from both, answer everything, then the source's next watermark. Whichever list is
     * replayed first, its watermark is ahead of a frame of the other list read before it.
     *
     * @return what the restored operator emitted, in order
     */
    private static List<Object> rescaledFromTwoToOne(Factories factories) throws Exception {
        Holding s0 = new Holding();
        Holding s1 = new Holding();
        OperatorSubtaskState snapshot0;
        OperatorSubtaskState snapshot1;
        try (var h0 = harness(factories, s0, 2, 0);
                var h1 = harness(factories, s1, 2, 1)) {
            h0.open();
            h1.open();
            h0.processElement(new StreamRecord<>(1L, 10));
            h1.processElement(new StreamRecord<>(2L, 20));
            h1.processWatermark(new Watermark(25));
            h0.processElement(new StreamRecord<>(3L, 30));
            h0.processWatermark(new Watermark(35));
            h1.processElement(new StreamRecord<>(4L, 40));
            h0.processElement(new StreamRecord<>(5L, 50));
            snapshot0 = h0.snapshot(1, 60);
            snapshot1 = h1.snapshot(1, 60);
            // let the old subtasks finish (their output is not the restored job's)
            for (Holding s : List.of(s0, s1)) {
                s.pending.forEach(out -> out.complete(List.of(-1L)));
            }
        }
        OperatorSubtaskState merged =
                AbstractStreamOperatorTestHarness.repartitionOperatorState(
                        AbstractStreamOperatorTestHarness.repackageState(snapshot0, snapshot1),
                        MAX_PARALLELISM,
                        2,
                        1,
                        0);
        try (var restored = harness(factories, new Echo(), 1, 0)) {
            restored.initializeState(merged);
            restored.open();
            restored.processWatermark(new Watermark(100));
            restored.endInput();
            return new ArrayList<>(restored.getOutput());
        }
    }

    /** Each watermark with a record it was let out ahead of (timestamp not after it), if any. */
    private static List<String> overtaken(List<Object> output) {
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < output.size(); i++) {
            if (output.get(i) instanceof Watermark w) {
                for (Object later : output.subList(i + 1, output.size())) {
                    if (later instanceof StreamRecord<?> r
                            && r.getTimestamp() <= w.getTimestamp()) {
                        wrong.add(w + " before " + r);
                    }
                }
            }
        }
        return wrong;
    }

    private static List<Long> records(List<Object> output) {
        List<Long> values = new ArrayList<>();
        for (Object o : output) {
            if (o instanceof StreamRecord<?> r) {
                values.add((Long) r.getValue());
            }
        }
        return values;
    }

    @Test
    void noRestoredWatermarkOvertakesAFrameRestoredFromAnotherSubtask() throws Exception {
        List<Object> out = rescaledFromTwoToOne(RESCALE_SAFE);
        assertThat(records(out)).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L);
        assertThat(overtaken(out)).as("watermarks ahead of frames read before them").isEmpty();
        // the restored watermarks (25, 35) are gone; the source's next one goes through, last
        assertThat(out).filteredOn(Watermark.class::isInstance).containsExactly(new Watermark(100));
        assertThat(out.get(out.size() - 1)).isEqualTo(new Watermark(100));
    }

    /**
     * The case above with Flink's own operator: the restored watermark of the list replayed first
     * goes out before frames of the other list read before it. If Flink stops doing that, this
     * fails, and the replacement may be dropped.
     */
    @Test
    void flinksOwnOperatorLetsARestoredWatermarkOvertakeThem() throws Exception {
        List<Object> out = rescaledFromTwoToOne(FLINKS);
        assertThat(records(out)).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L);
        assertThat(overtaken(out)).isNotEmpty();
    }

    @Test
    void withoutARestoreWatermarksGoThroughAfterTheFramesBeforeThem() throws Exception {
        try (var h = harness(RESCALE_SAFE, new Echo(), 1, 0)) {
            h.open();
            h.processElement(new StreamRecord<>(1L, 10));
            h.processWatermark(new Watermark(15));
            h.processElement(new StreamRecord<>(2L, 20));
            h.endInput();
            List<Object> out = new ArrayList<>(h.getOutput());
            assertThat(out).contains(new Watermark(15));
            assertThat(records(out)).containsExactly(1L, 2L);
            assertThat(overtaken(out)).isEmpty();
        }
    }
}
