package io.frameflow.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A slot's batcher holds at most {@code maxInflight} frames; it refuses more at once. */
class CrossCameraBatcherBoundTest {

    @Test
    void framesBeyondTheBoundAreRefusedNotQueued() throws Exception {
        byte[] bus = TestFrames.read("images/bus.jpg");
        DetectorSettings settings =
                DetectorSettings.forModel(TestFrames.model("yolox_nano.onnx"))
                        .device("cpu")
                        .threads(1, 1)
                        .batching(1, Duration.ZERO)
                        .maxInflight(3)
                        .build();
        CountDownLatch release = new CountDownLatch(1);
        try (CrossCameraBatcher batcher = CrossCameraBatcher.start(settings, 0, n -> {})) {
            // a slow model: every run waits until released
            batcher.detector().beforeRun(() -> awaitQuietly(release));
            List<CompletableFuture<FrameResult>> accepted = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                accepted.add(batcher.detect(bus));
            }
            CompletableFuture<FrameResult> refused = batcher.detect(bus);
            assertThat(refused).isCompletedExceptionally();
            assertThatThrownBy(refused::get)
                    .cause()
                    .isInstanceOf(RejectedExecutionException.class)
                    .hasMessageContaining("3 frames in flight");
            assertThat(batcher.inflight()).isEqualTo(3);
            release.countDown();
            for (CompletableFuture<FrameResult> f : accepted) {
                assertThat(f.get(30, TimeUnit.SECONDS).detections()).isNotEmpty();
            }
            // room again once they are done
            assertThat(batcher.detect(bus).get(30, TimeUnit.SECONDS).detections()).isNotEmpty();
            assertThat(batcher.inflight()).isZero();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
