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
class MicroBatcherExpiryTest {

    @Test
    void expiredFramesAreNotRunAndReturnTheirWorkspaces() throws Exception {
        byte[] bus = TestFrames.read("images/bus.jpg");
        DetectorConfig config =
                DetectorConfig.of(TestFrames.model("yolox_nano.onnx"))
                        .withDevice("cpu")
                        .withThreads(1, 1, false);
        AtomicInteger runs = new AtomicInteger();
        try (DetectorEngine engine = DetectorEngine.open(config);
                MicroBatcher batcher =
                        new MicroBatcher(engine, 1, 0, n -> runs.incrementAndGet())) {
            // far more frames than the engine's workspace pool: a workspace kept by an expired
            // frame would make prepare() block forever
            assertTimeoutPreemptively(
                    Duration.ofSeconds(60),
                    () -> {
                        List<CompletableFuture<FrameResult>> expired = new ArrayList<>();
                        for (int i = 0; i < 50; i++) {
                            expired.add(
                                    batcher.submit(
                                            engine.prepare(bus), System.currentTimeMillis() - 1));
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
                    batcher.submit(engine.prepare(bus), System.currentTimeMillis() + 60_000).get();
            assertThat(fresh.detections()).isNotEmpty();
            assertThat(runs).hasValue(1);
        }
    }

    @Test
    void expiredFramesAreNotEvenDecodedByTheAsyncDetector() throws Exception {
        byte[] bus = TestFrames.read("images/bus.jpg");
        DetectorConfig config =
                DetectorConfig.of(TestFrames.model("yolox_nano.onnx"))
                        .withDevice("cpu")
                        .withThreads(1, 1, false);
        AtomicInteger runs = new AtomicInteger();
        try (AsyncDetector detector = AsyncDetector.start(config, 0, n -> runs.incrementAndGet())) {
            CompletableFuture<FrameResult> stale =
                    detector.detect(bus, System.currentTimeMillis() - 1);
            assertThatThrownBy(stale::get)
                    .cause()
                    .isInstanceOf(FrameExpiredException.class)
                    .hasMessageContaining("before decoding");
            assertThat(detector.detect(bus).get().detections()).isNotEmpty();
            assertThat(runs).hasValue(1);
            assertThat(detector.inflight()).isZero();
        }
    }
}
