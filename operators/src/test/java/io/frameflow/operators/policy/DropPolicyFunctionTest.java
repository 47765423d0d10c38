package io.frameflow.operators.policy;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameflow.records.Frame;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DropPolicyFunctionTest {

    private KeyedOneInputStreamOperatorTestHarness<String, Frame, Frame> harness;

    private KeyedOneInputStreamOperatorTestHarness<String, Frame, Frame> open(DropPolicy policy)
            throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new DropPolicyFunction(policy), Frame::camera, Types.STRING);
        harness.open();
        return harness;
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private static Frame frame(String camera, long captureTs) {
        return new Frame(camera, captureTs, captureTs, Frame.JPEG, new byte[] {1}, "frames", 0, 0);
    }

    private void send(String camera, long captureTs) throws Exception {
        harness.processElement(new StreamRecord<>(frame(camera, captureTs), captureTs));
    }

    private List<Long> keptCaptureTimes() {
        return harness.extractOutputValues().stream().map(Frame::captureTs).toList();
    }

    private List<DropEvent> drops() {
        return harness.getSideOutput(DropPolicyFunction.DROPS) == null
                ? List.of()
                : harness.getSideOutput(DropPolicyFunction.DROPS).stream()
                        .map(StreamRecord::getValue)
                        .toList();
    }

    @Test
    void defaultPolicyKeepsEveryFrameAndHoldsNoState() throws Exception {
        open(DropPolicy.keepAll());
        harness.setProcessingTime(1_000_000);
        for (long ts = 0; ts < 50; ts++) {
            send("cam-" + (ts % 5), ts); // very old frames, out of order across cameras
        }
        assertThat(harness.extractOutputValues()).hasSize(50);
        assertThat(drops()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void maxFpsKeepsOneFramePerIntervalOfCaptureTime() throws Exception {
        open(DropPolicy.of(0, 10)); // at most one frame per 100 ms
        for (long ts : new long[] {1000, 1040, 1099, 1100, 1150, 1210, 1300, 1310}) {
            send("cam-a", ts);
        }
        assertThat(keptCaptureTimes()).containsExactly(1000L, 1100L, 1210L, 1310L);
        assertThat(drops())
                .containsExactly(
                        new DropEvent("cam-a", 1040, DropPolicy.REASON_MAX_FPS, 1040),
                        new DropEvent("cam-a", 1099, DropPolicy.REASON_MAX_FPS, 1099),
                        new DropEvent("cam-a", 1150, DropPolicy.REASON_MAX_FPS, 1150),
                        new DropEvent("cam-a", 1300, DropPolicy.REASON_MAX_FPS, 1300));
    }

    @Test
    void maxFpsIsPerCamera() throws Exception {
        open(DropPolicy.of(0, 10));
        send("cam-a", 1000);
        send("cam-b", 1010);
        send("cam-a", 1020);
        send("cam-b", 1110);
        assertThat(harness.extractOutputValues())
                .extracting(Frame::camera, Frame::captureTs)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("cam-a", 1000L),
                        org.assertj.core.groups.Tuple.tuple("cam-b", 1010L),
                        org.assertj.core.groups.Tuple.tuple("cam-b", 1110L));
        assertThat(drops()).containsExactly(new DropEvent("cam-a", 1020, "max-fps", 1020));
    }

    @Test
    void maxAgeDropsFramesOlderThanTheLimitAtProcessingTime() throws Exception {
        open(DropPolicy.of(500, 0));
        harness.setProcessingTime(10_000);
        send("cam-a", 9_600); // 400 ms old: kept
        send("cam-a", 9_500); // exactly 500 ms: kept
        send("cam-a", 9_499); // 501 ms: dropped
        send("cam-a", 2_000); // 8 s: dropped
        assertThat(keptCaptureTimes()).containsExactly(9_600L, 9_500L);
        assertThat(drops())
                .extracting(DropEvent::captureTs, DropEvent::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(9_499L, "max-age"),
                        org.assertj.core.groups.Tuple.tuple(2_000L, "max-age"));
        assertThat(harness.numKeyedStateEntries()).isZero(); // age needs no state
    }

    @Test
    void stateIsBoundedPerCameraAndClearedWhenCamerasGoSilent() throws Exception {
        DropPolicy policy = new DropPolicy(0, 30, 5_000);
        open(policy);
        harness.setProcessingTime(0);
        int cameras = 20;
        for (int i = 0; i < 500; i++) {
            harness.setProcessingTime(i * 10L);
            send("cam-" + (i % cameras), i * 10L);
        }
        // two values per camera (last kept capture time, pending cleanup time), one timer each,
        // however many frames went through
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2 * cameras);
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(cameras);

        // cam-0 keeps sending; the others go silent
        for (long t = 5_000; t <= 12_000; t += 100) {
            harness.setProcessingTime(t);
            send("cam-0", t);
        }
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);

        harness.setProcessingTime(12_000 + policy.idleStateTimeoutMs());
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void aCameraThatComesBackStartsAfresh() throws Exception {
        open(new DropPolicy(0, 1, 1_000));
        harness.setProcessingTime(0);
        send("cam-a", 10_000);
        harness.setProcessingTime(2_000); // silence: state cleared
        send("cam-a", 9_000); // earlier capture time, e.g. a restarted camera clock: kept
        assertThat(keptCaptureTimes()).containsExactly(10_000L, 9_000L);
    }

    @Test
    void countsEveryFrameAsKeptOrDropped() throws Exception {
        open(DropPolicy.of(0, 5));
        for (long ts = 0; ts < 3_000; ts += 40) {
            send("cam-a", ts);
        }
        int sent = 3_000 / 40 + (3_000 % 40 == 0 ? 0 : 1);
        assertThat(harness.extractOutputValues().size() + drops().size()).isEqualTo(sent);
        assertThat(harness.extractOutputValues()).hasSize(15); // 5 fps over 3 s
    }

    @Test
    void rejectsNegativeSettingsWithTheOptionName() {
        assertThatThrownBy(() -> DropPolicy.of(-1, 0)).hasMessageContaining("max-frame-age-ms");
        assertThatThrownBy(() -> DropPolicy.of(0, -2)).hasMessageContaining("max-fps");
    }

    @Test
    void dropEventIsKryoFree() {
        assertSerializedAsPojoWithoutKryo(DropEvent.class);
    }
}
