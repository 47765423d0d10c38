package io.frameflow.operators.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic batching in the spirit of Triton: prepared frames from every camera of a slot queue here;
 * one worker thread takes the first waiting frame, gathers more until {@code maxBatch} frames or
 * {@code maxDelayMs} after the first one, and runs them in one ORT call. Models with a fixed batch
 * of 1 go through the same queue one by one. The worker is the only thread touching the session's
 * run path, so inference never competes with itself for cores.
 */
public final class MicroBatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MicroBatcher.class);

    private record Request(
            PreparedFrame frame, long deadlineMs, CompletableFuture<FrameResult> result) {}

    private final DetectorEngine engine;
    private final int maxBatch;
    private final long maxDelayNanos;
    private final IntConsumer batchSizes;
    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile boolean running = true;

    /**
     * @param batchSizes told the size of every ORT call (e.g. a histogram metric)
     */
    public MicroBatcher(
            DetectorEngine engine, int maxBatch, long maxDelayMs, IntConsumer batchSizes) {
        this.engine = engine;
        this.maxBatch = Math.max(1, Math.min(maxBatch, engine.maxBatch()));
        this.maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(maxDelayMs);
        this.batchSizes = batchSizes;
        this.worker = new Thread(this::loop, "frameflow-batcher-" + engine.info().name());
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /** Queues a prepared frame; the future completes after its batch ran. */
    public CompletableFuture<FrameResult> submit(PreparedFrame frame) {
        return submit(frame, Long.MAX_VALUE);
    }

    /**
     * Queues a prepared frame that must start running by {@code deadlineMs} (wall clock, ms since
     * epoch): when its batch is about to run later than that, the frame is left out and its future
     * fails with {@link FrameExpiredException}.
     */
    public CompletableFuture<FrameResult> submit(PreparedFrame frame, long deadlineMs) {
        CompletableFuture<FrameResult> f = new CompletableFuture<>();
        if (!running) {
            engineRelease(frame);
            f.completeExceptionally(new IllegalStateException("batcher is closed"));
            return f;
        }
        queue.add(new Request(frame, deadlineMs, f));
        return f;
    }

    public int queued() {
        return queue.size();
    }

    private void loop() {
        List<Request> batch = new ArrayList<>(maxBatch);
        List<PreparedFrame> frames = new ArrayList<>(maxBatch);
        while (running) {
            try {
                Request first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + maxDelayNanos;
                while (batch.size() < maxBatch) {
                    Request next = queue.poll();
                    if (next == null) {
                        long wait = deadline - System.nanoTime();
                        if (wait <= 0) {
                            break;
                        }
                        next = queue.poll(wait, TimeUnit.NANOSECONDS);
                        if (next == null) {
                            break;
                        }
                    }
                    batch.add(next);
                }
                run(batch, frames);
            } catch (InterruptedException e) {
                for (Request r : batch) {
                    engineRelease(r.frame());
                    r.result().completeExceptionally(new IllegalStateException("batcher closed"));
                }
                break;
            } finally {
                batch.clear();
                frames.clear();
            }
        }
        failPending();
    }

    private void run(List<Request> batch, List<PreparedFrame> frames) {
        long now = System.currentTimeMillis();
        batch.removeIf(
                r -> {
                    if (now <= r.deadlineMs()) {
                        return false;
                    }
                    engineRelease(r.frame());
                    r.result()
                            .completeExceptionally(
                                    new FrameExpiredException("inference", now - r.deadlineMs()));
                    return true;
                });
        if (batch.isEmpty()) {
            return;
        }
        for (Request r : batch) {
            frames.add(r.frame());
        }
        List<FrameResult> results;
        try {
            results = engine.infer(frames);
        } catch (Throwable t) {
            LOG.warn("ORT run over {} frame(s) failed", batch.size(), t);
            for (Request r : batch) {
                r.result().completeExceptionally(t);
            }
            return;
        }
        batchSizes.accept(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(results.get(i));
        }
    }

    private void failPending() {
        Request r;
        while ((r = queue.poll()) != null) {
            engineRelease(r.frame());
            r.result().completeExceptionally(new IllegalStateException("batcher closed"));
        }
    }

    private void engineRelease(PreparedFrame frame) {
        engine.discard(frame);
    }

    /** Stops the worker after its current batch and fails frames still queued. */
    @Override
    public void close() {
        running = false;
        worker.interrupt();
        try {
            worker.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failPending();
    }
}
