package io.frameflow.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Closing a detector frees its ORT session and native buffers only once no thread is inside a
 * native call any more; new work after close is refused.
 */
class DetectorCloseTest {

    private static DetectorSettings yolox() {
        return DetectorSettings.forModel(TestFrames.model("yolox_nano.onnx"))
                .device("cpu")
                .threads(1, 1)
                .build();
    }

    /** Waits for the latch even when interrupted (a native call does not stop either). */
    static void holdUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await(60, TimeUnit.SECONDS);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void closeWaitsForTheRunningOrtCallAndRefusesNewWork() throws Exception {
        byte[] bus = TestFrames.read("images/bus.jpg");
        Detector detector = Detector.open(yolox());
        CountDownLatch inRun = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // a slow model: the run is held here, inside infer, right before session.run
        detector.beforeRun(
                () -> {
                    inRun.countDown();
                    holdUninterruptibly(release);
                });
        PreparedFrame frame = detector.prepare(bus);
        CompletableFuture<List<FrameResult>> run =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return detector.infer(List.of(frame));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        assertThat(inRun.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> close = CompletableFuture.runAsync(detector::close);
        Thread.sleep(300);
        assertThat(close).as("close() while an ORT call runs").isNotDone();
        assertThatThrownBy(() -> detector.prepare(bus))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        release.countDown();
        // the run finished on a live session and live buffers
        assertThat(run.get(30, TimeUnit.SECONDS).get(0).detections()).isNotEmpty();
        close.get(30, TimeUnit.SECONDS);
        assertThatThrownBy(() -> detector.detect(bus))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void aRunOutlastingTheCloseWaitFreesTheSessionItselfWhenItEnds() throws Exception {
        byte[] bus = TestFrames.read("images/bus.jpg");
        Detector detector = Detector.open(yolox());
        CountDownLatch inRun = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        detector.beforeRun(
                () -> {
                    inRun.countDown();
                    holdUninterruptibly(release);
                });
        PreparedFrame frame = detector.prepare(bus);
        CompletableFuture<List<FrameResult>> run =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return detector.infer(List.of(frame));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        assertThat(inRun.await(30, TimeUnit.SECONDS)).isTrue();
        // the wait is bounded: close returns, but frees nothing under the running call
        assertThat(detector.close(Duration.ofMillis(200))).isFalse();
        assertThat(detector.freed()).isFalse();
        release.countDown();
        assertThat(run.get(30, TimeUnit.SECONDS).get(0).detections()).isNotEmpty();
        // the call freed the session and buffers on its way out
        assertThat(detector.freed()).isTrue();
    }
}
