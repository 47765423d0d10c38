package io.frameflow.operators.inference;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The detector as a pipeline: decode + preprocess on a small executor, then the {@link
 * MicroBatcher}'s single inference thread, so the next frames are prepared while the current batch
 * runs. Owns the engine, the executor and the batcher; one per Flink slot (or per benchmark).
 *
 * <p>Threads (defaults suit a 2-core box and a GPU box alike): {@code preprocessThreads} (auto =
 * half the cores, 1..4) + 1 batcher thread + ORT's intra-op threads (auto = half the cores on CPU,
 * 1 on GPU). On 2 cores that is one core decoding while the other runs the model.
 */
public final class AsyncDetector implements AutoCloseable {

    private final DetectorEngine engine;
    private final ExecutorService preprocess;
    private final MicroBatcher batcher;
    private final AtomicInteger inflight = new AtomicInteger();

    private AsyncDetector(DetectorEngine engine, IntConsumer batchSizes) {
        this.engine = engine;
        DetectorConfig c = engine.config();
        this.preprocess =
                Executors.newFixedThreadPool(
                        c.effectivePreprocessThreads(), daemonThreads(engine.info().name()));
        this.batcher = new MicroBatcher(engine, c.maxBatch(), c.maxBatchDelayMs(), batchSizes);
    }

    /** Opens the model (start-up errors surface here) and starts the threads. */
    public static AsyncDetector start(
            DetectorConfig config, int subtaskIndex, IntConsumer batchSizes) {
        DetectorEngine engine = DetectorEngine.open(config, subtaskIndex);
        try {
            return new AsyncDetector(engine, batchSizes);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /**
     * Detects objects on an encoded frame. Completes exceptionally with {@link
     * io.frameflow.operators.decode.UndecodableImageException} for bytes that are not an image.
     */
    public CompletableFuture<FrameResult> detect(byte[] image) {
        return detect(image, Long.MAX_VALUE);
    }

    /**
     * As {@link #detect(byte[])}, but a frame still waiting when the wall clock passes {@code
     * deadlineMs} (ms since epoch) is not decoded or run: the future completes exceptionally with
     * {@link FrameExpiredException}. Checked before decoding and again when its ORT batch starts,
     * so a frame that does run starts no later than its deadline.
     */
    public CompletableFuture<FrameResult> detect(byte[] image, long deadlineMs) {
        inflight.incrementAndGet();
        CompletableFuture<FrameResult> result =
                CompletableFuture.supplyAsync(
                                () -> {
                                    long late = System.currentTimeMillis() - deadlineMs;
                                    if (late > 0) {
                                        throw new CompletionException(
                                                new FrameExpiredException("decoding", late));
                                    }
                                    try {
                                        return engine.prepare(image);
                                    } catch (Exception e) {
                                        throw new CompletionException(e);
                                    }
                                },
                                preprocess)
                        .thenCompose(frame -> batcher.submit(frame, deadlineMs));
        return result.whenComplete((r, t) -> inflight.decrementAndGet());
    }

    /** Frames accepted and not yet finished. */
    public int inflight() {
        return inflight.get();
    }

    public ModelInfo info() {
        return engine.info();
    }

    public DetectorEngine engine() {
        return engine;
    }

    @Override
    public void close() {
        preprocess.shutdownNow();
        try {
            preprocess.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        batcher.close();
        engine.close();
    }

    private static ThreadFactory daemonThreads(String model) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "frameflow-preprocess-" + model + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
