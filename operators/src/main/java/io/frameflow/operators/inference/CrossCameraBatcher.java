package io.frameflow.operators.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.apache.flink.util.ExceptionUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One slot's {@link Detector} fed by every camera of the slot, Triton-style: frames are decoded and
 * preprocessed on a small executor, then queue here; one inference thread takes the first waiting
 * frame, gathers more until {@code maxBatch} frames or {@code maxBatchDelay} after the first one,
 * and runs them in one ORT call, so the next frames are prepared while the current batch runs.
 * Models with a fixed batch of 1 go through the same queue one by one. The inference thread is the
 * only one touching the session's run path, so inference never competes with itself for cores.
 *
 * <p>Threads (defaults suit a 2-core box and a GPU box alike): preprocess threads (auto = half the
 * cores, 1..4) + 1 inference thread + ORT's intra-op threads (auto = half the cores on CPU, 1 on
 * GPU). On 2 cores that is one core decoding while the other runs the model.
 *
 * <p>Bounded: at most {@link DetectorSettings#maxInflight()} frames are accepted and not finished
 * (waiting to be decoded, decoded, or running); {@link #detect} refuses more at once. Decoded
 * frames are further bounded by the detector's workspace pool.
 */
public final class CrossCameraBatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CrossCameraBatcher.class);

    private record Request(
            PreparedFrame frame, long deadlineMs, CompletableFuture<FrameResult> result) {}

    private final Detector detector;
    private final ExecutorService preprocess;
    private final int maxBatch;
    private final long maxDelayNanos;
    private final IntConsumer batchSizes;
    private final int maxInflight;
    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger inflight = new AtomicInteger();
    private final Thread worker;
    private volatile boolean running = true;
    private volatile Throwable stoppedBy;

    private CrossCameraBatcher(Detector detector, IntConsumer batchSizes) {
        this.detector = detector;
        DetectorSettings s = detector.settings();
        String model = detector.info().name();
        this.preprocess = Executors.newFixedThreadPool(s.preprocessThreads(), daemonThreads(model));
        this.maxBatch = Math.max(1, Math.min(s.maxBatch(), detector.maxBatch()));
        this.maxDelayNanos = s.maxBatchDelay().toNanos();
        this.batchSizes = batchSizes;
        this.maxInflight = s.maxInflight();
        this.worker = new Thread(this::loop, "frameflow-batcher-" + model);
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /**
     * Opens the model (start-up errors surface here) and starts the threads.
     *
     * @param batchSizes told the size of every ORT call (e.g. a histogram metric)
     */
    public static CrossCameraBatcher start(
            DetectorSettings settings, int subtaskIndex, IntConsumer batchSizes) {
        Detector detector = Detector.open(settings, subtaskIndex);
        try {
            return new CrossCameraBatcher(detector, batchSizes);
        } catch (RuntimeException e) {
            detector.close();
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
     * {@link FrameExpiredException}. Checked before decoding (when the frame leaves the queue, and
     * again once it has a workspace) and when its ORT batch starts, so a frame that does run starts
     * no later than its deadline.
     */
    public CompletableFuture<FrameResult> detect(byte[] image, long deadlineMs) {
        CompletableFuture<FrameResult> result = new CompletableFuture<>();
        if (!running) {
            result.completeExceptionally(closed());
            return result;
        }
        if (!admit()) {
            // refused, not queued: the queue must not grow without bound when frames arrive
            // faster than they are inferred (or than those Flink has timed out are dropped)
            result.completeExceptionally(
                    new RejectedExecutionException(
                            "inference queue full: "
                                    + maxInflight
                                    + " frames in flight in this slot"));
            return result;
        }
        CompletableFuture<FrameResult> done =
                result.whenComplete((r, t) -> inflight.decrementAndGet());
        try {
            preprocess.execute(new Decode(image, deadlineMs, result));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(closed());
        }
        return done;
    }

    /** Counts the frame in, unless {@code maxInflight} frames are in already. */
    private boolean admit() {
        int n;
        do {
            n = inflight.get();
            if (n >= maxInflight) {
                return false;
            }
        } while (!inflight.compareAndSet(n, n + 1));
        return true;
    }

    /** A frame waiting for a preprocess thread; fails (not decoded) once its deadline passed. */
    private final class Decode implements Runnable {
        private final byte[] image;
        private final long deadlineMs;
        private final CompletableFuture<FrameResult> result;

        Decode(byte[] image, long deadlineMs, CompletableFuture<FrameResult> result) {
            this.image = image;
            this.deadlineMs = deadlineMs;
            this.result = result;
        }

        @Override
        public void run() {
            long late = System.currentTimeMillis() - deadlineMs;
            if (late > 0) {
                result.completeExceptionally(new FrameExpiredException("decoding", late));
                return;
            }
            PreparedFrame frame;
            try {
                frame = detector.prepare(image, deadlineMs);
            } catch (Throwable t) {
                result.completeExceptionally(t);
                ExceptionUtils.rethrowIfFatalError(t);
                return;
            }
            enqueue(frame, deadlineMs, result);
        }
    }

    /**
     * Queues a prepared frame that must start running by {@code deadlineMs}: when its batch is
     * about to run later than that, the frame is left out and its future fails with {@link
     * FrameExpiredException}. Package-private: the public path is {@link #detect}.
     */
    CompletableFuture<FrameResult> submit(PreparedFrame frame, long deadlineMs) {
        CompletableFuture<FrameResult> f = new CompletableFuture<>();
        enqueue(frame, deadlineMs, f);
        return f;
    }

    private void enqueue(
            PreparedFrame frame, long deadlineMs, CompletableFuture<FrameResult> result) {
        if (!running) {
            detector.discard(frame);
            result.completeExceptionally(closed());
            return;
        }
        queue.add(new Request(frame, deadlineMs, result));
    }

    private IllegalStateException closed() {
        Throwable cause = stoppedBy;
        return cause == null
                ? new IllegalStateException("batcher is closed")
                : new IllegalStateException("batcher stopped by " + cause, cause);
    }

    /** Frames accepted and not yet finished (at most {@link DetectorSettings#maxInflight()}). */
    public int inflight() {
        return inflight.get();
    }

    public ModelInfo info() {
        return detector.info();
    }

    /** For tests that queue prepared frames themselves. */
    Detector detector() {
        return detector;
    }

    private void loop() {
        List<Request> batch = new ArrayList<>(maxBatch);
        try {
            while (running) {
                try {
                    if (gather(batch)) {
                        run(batch);
                    }
                } catch (InterruptedException e) {
                    fail(batch, new IllegalStateException("batcher closed"));
                    break;
                } catch (Throwable t) {
                    // thrown outside the ORT call's own handling (assembling the batch, completing
                    // futures, a bug): this is the slot's only inference thread, and if it ended
                    // every later frame would wait for its timeout. Fail this batch, go on.
                    fail(batch, t);
                    if (ExceptionUtils.isJvmFatalError(t)) {
                        stop(t);
                        throw (Error) t;
                    }
                    LOG.error(
                            "Batch of {} frame(s) failed outside the ORT call; the batcher goes on",
                            batch.size(),
                            t);
                } finally {
                    batch.clear();
                }
            }
        } finally {
            failPending();
        }
    }

    /**
     * Takes the first queued frame (waiting at most 100 ms) and more until {@code maxBatch} or
     * {@code maxBatchDelay}; false when none came.
     */
    private boolean gather(List<Request> batch) throws InterruptedException {
        Request first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
            return false;
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
        return true;
    }

    private void run(List<Request> batch) {
        long now = System.currentTimeMillis();
        batch.removeIf(
                r -> {
                    if (now <= r.deadlineMs()) {
                        return false;
                    }
                    detector.discard(r.frame());
                    r.result()
                            .completeExceptionally(
                                    new FrameExpiredException("inference", now - r.deadlineMs()));
                    return true;
                });
        if (batch.isEmpty()) {
            return;
        }
        List<PreparedFrame> frames = new ArrayList<>(batch.size());
        for (Request r : batch) {
            frames.add(r.frame());
        }
        List<FrameResult> results;
        try {
            results = detector.infer(frames);
        } catch (Throwable t) {
            LOG.warn("ORT run over {} frame(s) failed", batch.size(), t);
            fail(batch, t);
            ExceptionUtils.rethrowIfFatalError(t);
            return;
        }
        try {
            batchSizes.accept(batch.size());
        } catch (Throwable t) {
            // a metric must not fail the frames it counts
            ExceptionUtils.rethrowIfFatalError(t);
            LOG.warn("batch size listener failed", t);
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(results.get(i));
        }
    }

    /** Fails the frames not completed yet and returns their workspaces (if they have them). */
    private void fail(List<Request> batch, Throwable t) {
        for (Request r : batch) {
            detector.discard(r.frame());
            r.result().completeExceptionally(t);
        }
    }

    /** After a JVM-fatal error: no new frames, the queued ones fail with it. */
    private void stop(Throwable t) {
        stoppedBy = t;
        running = false;
    }

    private void failPending() {
        Request r;
        while ((r = queue.poll()) != null) {
            detector.discard(r.frame());
            r.result().completeExceptionally(new IllegalStateException("batcher closed"));
        }
    }

    /**
     * Refuses new frames, stops decoding, lets the inference thread finish its current batch, fails
     * every other accepted frame (none is left waiting for its timeout), and closes the detector.
     * Waits at most {@link Detector#CLOSE_WAIT} for the threads, then the detector waits as long
     * again at most for any native call still running; such a call, if it outlasts both, frees the
     * session and buffers itself when it ends (never freed under it).
     */
    @Override
    public void close() {
        running = false;
        // frames not started yet: shutdownNow drops them, so they are failed here
        for (Runnable task : preprocess.shutdownNow()) {
            if (task instanceof Decode d) {
                d.result.completeExceptionally(closed());
            }
        }
        long end = System.nanoTime() + Detector.CLOSE_WAIT.toNanos();
        try {
            preprocess.awaitTermination(end - System.nanoTime(), TimeUnit.NANOSECONDS);
            worker.interrupt(); // ends its wait for frames; an ORT call runs to its end
            worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failPending();
        detector.close();
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
