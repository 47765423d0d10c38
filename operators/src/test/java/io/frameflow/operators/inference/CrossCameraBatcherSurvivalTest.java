package io.frameflow.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/**
 * The batcher has one inference thread per slot: whatever is thrown around an ORT call must not end
 * it, or every later frame of the slot waits until its timeout.
 */
class CrossCameraBatcherSurvivalTest {

    private static DetectorSettings yolox() {
        return DetectorSettings.forModel(TestFrames.model("yolox_nano.onnx"))
                .device("cpu")
                .threads(1, 1)
                .batching(1, Duration.ZERO)
                .build();
    }

    @Test
    void aThrowingBatchSizeListenerStopsNeitherTheThreadNorTheFrames() throws Exception {
        byte[] bus = TestFrames.read("images/bus.jpg");
        AtomicInteger calls = new AtomicInteger();
        // the listener is the batch-size metric: called by the inference thread outside the ORT
        // call's try, between the run and the completion of the frames
        IntConsumer listener =
                n -> {
                    switch (calls.incrementAndGet()) {
                        case 1 -> throw new IllegalStateException("metric group closed");
                        case 2 -> throw new AssertionError("an Error the JVM survives");
                        default -> {}
                    }
                };
        try (CrossCameraBatcher batcher = CrossCameraBatcher.start(yolox(), 0, listener)) {
            for (int i = 0; i < 4; i++) {
                FrameResult r = batcher.detect(bus).get(10, TimeUnit.SECONDS);
                assertThat(r.detections()).as("frame %d", i).isNotEmpty();
            }
            assertThat(calls).hasValue(4);
            assertThat(batcher.inflight()).isZero();
        }
    }
}
