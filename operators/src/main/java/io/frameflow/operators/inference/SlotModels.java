package io.frameflow.operators.inference;

import io.frameflow.records.Detection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;

/**
 * The models one inference slot runs: the job's {@code --model} (first) and its {@code --models},
 * each with its own {@link CrossCameraBatcher}, so each model batches the frames of every camera
 * that uses it. A frame runs the models its camera chose ({@code Frame.models}, from the camera's
 * settings; none = the first); with several, their results merge into one: every detection names
 * its model and its class id moves to that model's block ({@link #CLASS_ID_BLOCK} × the model's
 * place in the job's list + its own class index), so classes of different models never meet in the
 * tracker.
 */
final class SlotModels implements AutoCloseable {

    /** Class ids a model's block spans on frames that run several models. */
    static final int CLASS_ID_BLOCK = 1000;

    private final List<String> names = new ArrayList<>();
    private final List<String> versions = new ArrayList<>();
    private final List<CrossCameraBatcher> batchers = new ArrayList<>();

    private SlotModels() {}

    /** Starts a batcher per model; on a failure the ones started are closed again. */
    static SlotModels start(List<DetectorSettings> models, int subtask, IntConsumer batchSizes) {
        SlotModels slot = new SlotModels();
        try {
            for (DetectorSettings m : models) {
                CrossCameraBatcher b = CrossCameraBatcher.start(m, subtask, batchSizes);
                slot.batchers.add(b);
                slot.names.add(b.info().name());
                slot.versions.add(b.info().version());
            }
            return slot;
        } catch (RuntimeException e) {
            slot.close();
            throw e;
        }
    }

    /** The job's {@code --model}'s batcher. */
    CrossCameraBatcher first() {
        return batchers.get(0);
    }

    List<CrossCameraBatcher> all() {
        return batchers;
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

    /** How a result names its models: one name, or their names joined by {@code +}. */
    String name(List<Integer> which) {
        if (which.size() == 1) {
            return names.get(which.get(0));
        }
        StringBuilder b = new StringBuilder();
        for (int i : which) {
            b.append(b.length() == 0 ? "" : "+").append(names.get(i));
        }
        return b.toString();
    }

    /** The chosen models' versions, joined by {@code +} as {@link #name} joins their names. */
    String version(List<Integer> which) {
        StringBuilder b = new StringBuilder();
        for (int i : which) {
            b.append(b.length() == 0 ? "" : "+").append(versions.get(i));
        }
        return b.toString();
    }

    /** Runs the image through the chosen models; several merge into one result. */
    CompletableFuture<FrameResult> detect(byte[] image, List<Integer> which, long deadlineMs) {
        if (which.size() == 1) {
            return batchers.get(which.get(0)).detect(image, deadlineMs);
        }
        List<CompletableFuture<FrameResult>> parts = new ArrayList<>(which.size());
        for (int i : which) {
            parts.add(batchers.get(i).detect(image, deadlineMs));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenApply(
                        done -> {
                            List<FrameResult> results = new ArrayList<>(parts.size());
                            parts.forEach(p -> results.add(p.join()));
                            return merge(which, results);
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

    /** Frames held by every batcher. */
    int inflight() {
        int n = 0;
        for (CrossCameraBatcher b : batchers) {
            n += b.inflight();
        }
        return n;
    }

    @Override
    public void close() {
        for (CrossCameraBatcher b : batchers) {
            b.close();
        }
        batchers.clear();
    }
}
