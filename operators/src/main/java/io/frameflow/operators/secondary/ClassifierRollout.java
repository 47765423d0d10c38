package io.frameflow.operators.secondary;

import io.frameflow.operators.inference.ModelFileWatch;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classifier an operator runs, and its next version: the model file is polled ({@link
 * ModelFileWatch}: replaced, then unchanged for one poll), a replacement is loaded on a thread of
 * its own, so the camera's frames do not wait for it, and swapped in between two frames; a file
 * that does not load is refused once and the running version stays.
 *
 * <p>Not thread-safe: the operator's thread calls {@link #current}.
 */
final class ClassifierRollout implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClassifierRollout.class);

    /** What a rollout tells the operator (its metrics). */
    interface Listener {
        void swapped(CropClassifier before, CropClassifier now);

        void refused(CropClassifier running, String reason);
    }

    private final Function<Path, CropClassifier> loader;
    private final ModelFileWatch watch;
    private final long pollMs;
    private final Listener listener;
    private ExecutorService loading;
    private Future<CropClassifier> pending;
    private ModelFileWatch.Stamp pendingStamp;
    private long nextPollMs;
    private CropClassifier current;

    /**
     * @param pollMs how often to look at the file; 0 = never
     */
    ClassifierRollout(
            Path file, Function<Path, CropClassifier> loader, long pollMs, Listener listener) {
        this.loader = loader;
        this.watch = new ModelFileWatch(file);
        this.pollMs = pollMs;
        this.listener = listener;
        this.current = loader.apply(file);
    }

    /**
     * The classifier to run at {@code nowMs}: a replacement that finished loading is swapped in.
     */
    CropClassifier current(long nowMs) {
        if (pending != null && pending.isDone()) {
            finishLoad();
        }
        if (pollMs > 0 && pending == null && nowMs >= nextPollMs) {
            nextPollMs = nowMs + pollMs;
            ModelFileWatch.Stamp stamp = watch.poll();
            if (stamp != null) {
                if (loading == null) {
                    loading =
                            Executors.newSingleThreadExecutor(
                                    r -> {
                                        Thread t = new Thread(r, "classifier-rollout");
                                        t.setDaemon(true);
                                        return t;
                                    });
                }
                pendingStamp = stamp;
                pending = loading.submit(() -> loader.apply(watch.file()));
            }
        }
        return current;
    }

    private void finishLoad() {
        Future<CropClassifier> done = pending;
        pending = null;
        try {
            CropClassifier next = done.get();
            CropClassifier before = current;
            current = next;
            watch.loaded(pendingStamp);
            LOG.info("Classifier {} replaced by {}", before.model(), next.model());
            listener.swapped(before, next);
            closeQuietly(before);
        } catch (ExecutionException e) {
            watch.refused(pendingStamp);
            String reason = String.valueOf(e.getCause().getMessage());
            LOG.warn(
                    "Classifier file {} replaced but not loaded, {} keeps running: {}",
                    watch.file(),
                    current.model(),
                    reason);
            listener.refused(current, reason);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(CropClassifier c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("closing the replaced classifier", e);
        }
    }

    @Override
    public void close() throws Exception {
        if (loading != null) {
            loading.shutdownNow();
        }
        if (pending != null && pending.isDone() && !pending.isCancelled()) {
            try {
                closeQuietly(pending.get());
            } catch (ExecutionException e) {
                // never loaded: nothing to close
            }
        }
        current.close();
    }
}
