package io.frameflow.operators.inference;

import io.frameflow.records.Detection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models one inference slot runs: the job's {@code --model} (first) and its {@code --models},
 * each with its own {@link CrossCameraBatcher}, so each model batches the frames of every camera
 * that uses it. A frame runs the models its camera chose ({@code Frame.models}, from the camera's
 * settings; none = the first); with several, their results merge into one: every detection names
 * its model and its class id moves to that model's block ({@link #CLASS_ID_BLOCK} × the model's
 * place in the job's list + its own class index), so classes of different models never meet in the
 * tracker.
 *
 * <p>A model file replaced while the job runs is taken up by {@link #reload} (called by the slot's
 * poll thread): the new file is loaded beside the running session, new frames go to it, and the
 * frames already handed to the old session finish there before it is closed; every result names the
 * version that computed it. A file that does not load leaves the running session as it was.
 */
final class SlotModels implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SlotModels.class);

    /** Class ids a model's block spans on frames that run several models. */
    static final int CLASS_ID_BLOCK = 1000;

    /** What a slot is told of a model's new version, or of a file that failed to load. */
    interface Rollout {
        void swapped(ModelInfo before, ModelInfo now);

        void refused(ModelInfo running, String reason);
    }

    /** A frame's result with the models and versions that computed it. */
    record Inferred(FrameResult result, String model, String version) {}

    private final List<DetectorSettings> settings;
    private final int subtask;
    private final IntConsumer batchSizes;
    private final List<String> names = new ArrayList<>();
    private final List<ModelFileWatch> watches = new ArrayList<>();
    // swapped under the write lock; frames are handed to a batcher under the read lock, so once a
    // swap is done no frame can still be on its way into the old batcher
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final List<CrossCameraBatcher> batchers = new ArrayList<>();

    private SlotModels(List<DetectorSettings> settings, int subtask, IntConsumer batchSizes) {
        this.settings = List.copyOf(settings);
        this.subtask = subtask;
        this.batchSizes = batchSizes;
    }

    /** Starts a batcher per model; on a failure the ones started are closed again. */
    static SlotModels start(List<DetectorSettings> models, int subtask, IntConsumer batchSizes) {
        SlotModels slot = new SlotModels(models, subtask, batchSizes);
        try {
            for (DetectorSettings m : models) {
                // the stamp first: a file replaced while this loads is noticed and loaded again
                slot.watches.add(new ModelFileWatch(m.model()));
                CrossCameraBatcher b = CrossCameraBatcher.start(m, subtask, batchSizes);
                slot.batchers.add(b);
                slot.names.add(b.info().name());
            }
            return slot;
        } catch (RuntimeException e) {
            slot.close();
            throw e;
        }
    }

    /** The job's {@code --model}'s batcher now. */
    CrossCameraBatcher first() {
        return current().get(0);
    }

    /** The batchers running now. */
    List<CrossCameraBatcher> all() {
        return current();
    }

    private List<CrossCameraBatcher> current() {
        lock.readLock().lock();
        try {
            return List.copyOf(batchers);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The places of the requested models in the job's list (null or empty: the first).
     *
     * @throws IllegalArgumentException naming a model this job does not run
     */
    List<Integer> indices(List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            return List.of(0);
        }
        List<Integer> out = new ArrayList<>(requested.size());
        for (String name : requested) {
            int i = names.indexOf(name);
            if (i < 0) {
                throw new IllegalArgumentException(
                        "unknown-model: this job runs " + names + ", not '" + name + "'");
            }
            out.add(i);
        }
        return out;
    }

    /**
     * Runs the image through the chosen models; several merge into one result. The result names the
     * models and their versions as they were when the frame was handed over.
     */
    CompletableFuture<Inferred> detect(byte[] image, List<Integer> which, long deadlineMs) {
        List<CompletableFuture<FrameResult>> parts = new ArrayList<>(which.size());
        StringBuilder name = new StringBuilder();
        StringBuilder version = new StringBuilder();
        lock.readLock().lock();
        try {
            for (int i : which) {
                CrossCameraBatcher b = batchers.get(i);
                name.append(name.length() == 0 ? "" : "+").append(names.get(i));
                version.append(version.length() == 0 ? "" : "+").append(b.info().version());
                parts.add(b.detect(image, deadlineMs));
            }
        } finally {
            lock.readLock().unlock();
        }
        String model = name.toString();
        String versions = version.toString();
        if (parts.size() == 1) {
            return parts.get(0).thenApply(r -> new Inferred(r, model, versions));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenApply(
                        done -> {
                            List<FrameResult> results = new ArrayList<>(parts.size());
                            parts.forEach(p -> results.add(p.join()));
                            return new Inferred(merge(which, results), model, versions);
                        });
    }

    private FrameResult merge(List<Integer> which, List<FrameResult> results) {
        List<Detection> detections = new ArrayList<>();
        long prepare = 0;
        long run = 0;
        long post = 0;
        int batch = 0;
        for (int k = 0; k < which.size(); k++) {
            int model = which.get(k);
            FrameResult r = results.get(k);
            for (Detection d : r.detections()) {
                detections.add(d.fromModel(names.get(model), model * CLASS_ID_BLOCK));
            }
            prepare += r.prepareNanos();
            run += r.runNanos();
            post += r.postNanos();
            batch = Math.max(batch, r.batchSize());
        }
        FrameResult first = results.get(0);
        return new FrameResult(
                first.width(), first.height(), detections, prepare, run, post, batch);
    }

    /**
     * Loads every model file that was replaced (and has settled, {@link ModelFileWatch}) and puts
     * it in place of the running session; the old session finishes the frames it holds (for at most
     * {@code drain}) and is closed. Called by one thread at a time.
     */
    void reload(Duration drain, Rollout rollout) {
        for (int i = 0; i < settings.size(); i++) {
            ModelFileWatch watch = watches.get(i);
            ModelFileWatch.Stamp stamp = watch.poll();
            if (stamp == null) {
                continue;
            }
            CrossCameraBatcher running = current().get(i);
            CrossCameraBatcher loaded;
            try {
                loaded = CrossCameraBatcher.start(settings.get(i), subtask, batchSizes);
            } catch (RuntimeException e) {
                watch.refused(stamp);
                LOG.warn(
                        "Model file {} changed but does not load; slot {} keeps version {}: {}",
                        watch.file(),
                        subtask,
                        running.info().version(),
                        e.getMessage());
                rollout.refused(running.info(), e.getMessage());
                continue;
            }
            watch.loaded(stamp);
            if (loaded.info().version().equals(running.info().version())) {
                loaded.close(); // touched, not changed
                continue;
            }
            lock.writeLock().lock();
            try {
                batchers.set(i, loaded);
            } finally {
                lock.writeLock().unlock();
            }
            LOG.info(
                    "Model {} on slot {}: version {} -> {} (loaded in {} ms)",
                    names.get(i),
                    subtask,
                    running.info().version(),
                    loaded.info().version(),
                    loaded.info().loadMs());
            rollout.swapped(running.info(), loaded.info());
            drainAndClose(running, drain);
        }
    }

    /** Lets the frames a batcher holds finish (at most {@code drain}), then closes it. */
    private static void drainAndClose(CrossCameraBatcher old, Duration drain) {
        long end = System.nanoTime() + drain.toNanos();
        while (old.inflight() > 0 && System.nanoTime() < end) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        old.close();
    }

    /** Frames held by every batcher. */
    int inflight() {
        int n = 0;
        for (CrossCameraBatcher b : current()) {
            n += b.inflight();
        }
        return n;
    }

    @Override
    public void close() {
        for (CrossCameraBatcher b : current()) {
            b.close();
        }
        lock.writeLock().lock();
        try {
            batchers.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
