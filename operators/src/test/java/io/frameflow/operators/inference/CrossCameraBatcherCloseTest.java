package io.frameflow.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Closing the batcher lets the running ORT call finish, gives every other accepted frame a result
 * (none is left waiting for a timeout) and refuses new frames.
 */
class CrossCameraBatcherCloseTest {

    @Test
    void closeFinishesTheRunningBatchFailsTheRestAndRefusesNewFrames() throws Exception {
        byte[] bus = TestFrames.read("images/bus.jpg");
        DetectorSettings settings =
                DetectorSettings.forModel(TestFrames.model("yolox_nano.onnx"))
                        .device("cpu")
                        .threads(1, 1)
                        .batching(1, Duration.ZERO)
                        .build();
        CountDownLatch inRun = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CrossCameraBatcher batcher = CrossCameraBatcher.start(settings, 0, n -> {});
        batcher.detector()
                .beforeRun(
                        () -> {
                            inRun.countDown();
                            DetectorCloseTest.holdUninterruptibly(release);
                        });
        CompletableFuture<FrameResult> running = batcher.detect(bus);
        assertThat(inRun.await(30, TimeUnit.SECONDS)).isTrue();
        // queued behind it: decoded and waiting for the model, waiting for a workspace, and
        // waiting for a preprocess thread (4 workspaces, one preprocess thread)
        List<CompletableFuture<FrameResult>> waiting = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            waiting.add(batcher.detect(bus));
        }
        Thread.sleep(300); // let the preprocess thread fill the workspaces
        CompletableFuture<Void> close = CompletableFuture.runAsync(batcher::close);
        Thread.sleep(300);
        assertThat(close).as("close() while an ORT call runs").isNotDone();
        release.countDown();
        assertThat(running.get(30, TimeUnit.SECONDS).detections()).isNotEmpty();
        close.get(30, TimeUnit.SECONDS);
        for (CompletableFuture<FrameResult> f : waiting) {
            assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
        }
        CompletableFuture<FrameResult> late = batcher.detect(bus);
        assertThatThrownBy(() -> late.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .hasMessageContaining("closed");
        assertThat(batcher.inflight()).isZero();
    }
}
