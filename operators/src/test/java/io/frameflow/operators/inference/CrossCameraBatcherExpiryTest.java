package io.frameflow.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Frames whose deadline passed while queued are left out of their batch, and free their buffers.
 */
class CrossCameraBatcherExpiryTest {

    private static DetectorSettings yolox() {
        return DetectorSettings.forModel(TestFrames.model("yolox_nano.onnx"))
                .device("cpu")
                .threads(1, 1)
                .batching(1, Duration.ZERO)
                .build();
    }

    @Test
    void expiredFramesAreNotRunAndReturnTheirWorkspaces() throws Exception {
        byte[] bus = TestFrames.read("images/bus.jpg");
        AtomicInteger runs = new AtomicInteger();
        try (CrossCameraBatcher batcher =
                CrossCameraBatcher.start(yolox(), 0, n -> runs.incrementAndGet())) {
            Detector detector = batcher.detector();
            // far more frames than the detector's workspace pool: a workspace kept by an expired
            // frame would make prepare() block forever
            assertTimeoutPreemptively(
                    Duration.ofSeconds(60),
                    () -> {
                        List<CompletableFuture<FrameResult>> expired = new ArrayList<>();
                        for (int i = 0; i < 50; i++) {
                            expired.add(
                                    batcher.submit(
                                            detector.prepare(bus), System.currentTimeMillis() - 1));
                        }
                        for (CompletableFuture<FrameResult> f : expired) {
                            assertThatThrownBy(f::get)
                                    .isInstanceOf(ExecutionException.class)
                                    .cause()
                                    .isInstanceOf(FrameExpiredException.class)
                                    .hasMessageContaining("before inference");
                        }
                    });
            assertThat(runs).hasValue(0);
            FrameResult fresh =
                    batcher.submit(detector.prepare(bus), System.currentTimeMillis() + 60_000)
                            .get();
            assertThat(fresh.detections()).isNotEmpty();
            assertThat(runs).hasValue(1);
        }
    }

    @Test
    void expiredFramesAreNotEvenDecoded() throws Exception {
        byte[] bus = TestFrames.read("images/bus.jpg");
        AtomicInteger runs = new AtomicInteger();
        try (CrossCameraBatcher batcher =
                CrossCameraBatcher.start(yolox(), 0, n -> runs.incrementAndGet())) {
            CompletableFuture<FrameResult> stale =
                    batcher.detect(bus, System.currentTimeMillis() - 1);
            assertThatThrownBy(stale::get)
                    .cause()
                    .isInstanceOf(FrameExpiredException.class)
                    .hasMessageContaining("before decoding");
            assertThat(batcher.detect(bus).get().detections()).isNotEmpty();
            assertThat(runs).hasValue(1);
            assertThat(batcher.inflight()).isZero();
        }
    }
}
