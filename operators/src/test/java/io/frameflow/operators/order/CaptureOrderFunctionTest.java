package io.frameflow.operators.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Frames come out of inference in any order; each camera's must leave in capture order, at once
 * when nothing is missing, within the watermark's lag when something is.
 */
class CaptureOrderFunctionTest {

    /** A frame: camera, seq, capture time. */
    public record F(String camera, long seq, long ts) {}

    private KeyedOneInputStreamOperatorTestHarness<String, F, F> harness;

    @BeforeEach
    void open() throws Exception {
        harness = harness();
        harness.open();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, F, F> harness() throws Exception {
        CaptureOrderFunction<F> fn =
                new CaptureOrderFunction<>(
                        TypeInformation.of(F.class),
                        new CaptureOrderFunction.Position<F>() {
                            @Override
                            public long seq(F f) {
                                return f.seq();
                            }

                            @Override
                            public long captureTs(F f) {
                                return f.ts();
                            }
                        });
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(fn), F::camera, Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    /** A frame read from Kafka at {@code arrival}, seq n captured at n * 40 ms. */
    private void in(String camera, long seq, long arrival) throws Exception {
        harness.processElement(new StreamRecord<>(new F(camera, seq, seq * 40), arrival));
    }

    private List<String> out() {
        return harness.extractOutputValues().stream().map(f -> f.camera() + f.seq()).toList();
    }

    @Test
    void framesThatInferenceReorderedLeaveInCaptureOrder() throws Exception {
        in("a", 0, 100);
        in("a", 2, 102); // 1 is still in another slot
        in("a", 1, 101);
        in("a", 4, 104);
        in("a", 3, 103);
        harness.processWatermark(new Watermark(200));
        assertThat(out()).containsExactly("a0", "a1", "a2", "a3", "a4");
    }

    @Test
    void inSequenceFramesGoOnAtOnceWithoutWaitingForTheWatermark() throws Exception {
        in("a", 0, 100); // a producer's first frame: nothing comes before it
        assertThat(out()).containsExactly("a0");
        in("a", 1, 140);
        in("a", 2, 180);
        in("a", 4, 220);
        in("a", 3, 200); // releases 4, which waited only for it
        assertThat(out()).containsExactly("a0", "a1", "a2", "a3", "a4");
    }

    @Test
    void aFrameThatNeverComesHoldsItsCameraOnlyUntilTheWatermarkAndNoOtherCamera()
            throws Exception {
        in("a", 0, 100);
        in("b", 0, 100);
        harness.processWatermark(new Watermark(100));
        in("a", 2, 150); // a1 was dropped upstream
        in("a", 3, 160);
        in("b", 1, 155);
        assertThat(out()).containsExactly("a0", "b0", "b1");
        harness.processWatermark(new Watermark(160));
        assertThat(out()).containsExactly("a0", "b0", "b1", "a2", "a3");
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2); // one position per camera
    }

    @Test
    void aCameraFirstSeenMidStreamWaitsForTheWatermarkOnce() throws Exception {
        in("a", 7, 100); // the job started while the camera was running: 6 may be in flight
        in("a", 8, 110);
        assertThat(out()).isEmpty();
        harness.processWatermark(new Watermark(110));
        assertThat(out()).containsExactly("a7", "a8");
        in("a", 9, 150);
        assertThat(out()).containsExactly("a7", "a8", "a9");
    }

    @Test
    void aRestartedProducersFirstFrameGoesOnAtOnce() throws Exception {
        in("a", 0, 100);
        in("a", 1, 140);
        harness.processElement(new StreamRecord<>(new F("a", 0, 5_000), 5_010));
        harness.processElement(new StreamRecord<>(new F("a", 1, 5_040), 5_050));
        assertThat(harness.extractOutputValues())
                .extracting(F::ts)
                .containsExactly(0L, 40L, 5_000L, 5_040L);
    }

    @Test
    void framesWithoutSeqAreOrderedByCaptureTime() throws Exception {
        harness.processElement(new StreamRecord<>(new F("a", -1, 300), 103));
        harness.processElement(new StreamRecord<>(new F("a", -1, 100), 101));
        harness.processElement(new StreamRecord<>(new F("a", -1, 200), 102));
        harness.processWatermark(new Watermark(200));
        assertThat(harness.extractOutputValues())
                .extracting(F::ts)
                .containsExactly(100L, 200L, 300L);
    }

    @Test
    void heldFramesSurviveARestoreAndLeaveOnce() throws Exception {
        in("a", 0, 100);
        harness.processWatermark(new Watermark(100));
        in("a", 2, 150);
        OperatorSubtaskState snapshot = harness.snapshot(1, 160);
        harness.close();

        harness = harness();
        harness.initializeState(snapshot);
        harness.open();
        in("a", 3, 170);
        assertThat(harness.extractOutputValues()).isEmpty();
        harness.processWatermark(new Watermark(500));
        assertThat(out()).containsExactly("a2", "a3");
    }
}
