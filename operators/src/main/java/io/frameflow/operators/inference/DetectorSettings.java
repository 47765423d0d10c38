package io.frameflow.operators.inference;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything one {@link Detector} needs, parsed and checked once: built from the job's options by
 * {@link InferenceOptions#settings}, or directly with {@link #forModel} in tests and benchmarks.
 * Serializable, because it travels inside the {@link InferenceFunction} to every slot.
 *
 * <p>Paths are kept as strings inside because {@link Path} is not serializable; the accessors
 * return {@link Path}s. Unset choices are {@link Optional}s, not magic values.
 */
public final class DetectorSettings implements Serializable {

    private static final long serialVersionUID = 3L;

    /** Frames a slot's batcher holds at most unless set: twice the default --async-capacity. */
    public static final int DEFAULT_MAX_INFLIGHT = 64;

    private final String model;
    private final ModelFormat format;
    private final String labels;
    private final List<String> classFilter;
    private final DeviceSpec device;
    private final Float scoreThreshold;
    private final int maxBatch;
    private final Duration maxBatchDelay;
    private final int intraOpThreads;
    private final int preprocessThreads;
    private final int maxInflight;

    private DetectorSettings(Builder b) {
        this.model = b.model.toString();
        this.format = b.format;
        this.labels = b.labels == null ? null : b.labels.toString();
        this.classFilter = List.copyOf(b.classFilter);
        this.device = b.device;
        this.scoreThreshold = b.scoreThreshold;
        this.maxBatch = b.maxBatch;
        this.maxBatchDelay = b.maxBatchDelay;
        this.intraOpThreads = b.intraOpThreads;
        this.preprocessThreads = b.preprocessThreads;
        this.maxInflight = b.maxInflight;
    }

    /** Defaults for everything but the model: auto format and device, max batch 8, 2 ms delay. */
    public static Builder forModel(Path model) {
        return new Builder(model);
    }

    public static Builder forModel(String model) {
        return new Builder(Path.of(model));
    }

    public Builder toBuilder() {
        return new Builder(model())
                .format(format)
                .labels(labels().orElse(null))
                .classFilter(classFilter)
                .device(device)
                .scoreThreshold(scoreThreshold)
                .batching(maxBatch, maxBatchDelay)
                .threads(intraOpThreads, preprocessThreads)
                .maxInflight(maxInflight);
    }

    /**
     * Another model run beside this one ({@code --models}): the same device, batching and threads,
     * its own layout ({@code auto}), labels (from its metadata) and score threshold (its layout's).
     */
    public DetectorSettings forAnotherModel(Path other) {
        return new Builder(other)
                .device(device)
                .batching(maxBatch, maxBatchDelay)
                .threads(intraOpThreads, preprocessThreads)
                .maxInflight(maxInflight)
                .build();
    }

    /** The ONNX file. */
    public Path model() {
        return Path.of(model);
    }

    /** The file name without its extension, as metrics and logs name the model. */
    public String modelName() {
        String file = model().getFileName().toString();
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    /** The output layout, or AUTO to pick it from the model. */
    public ModelFormat format() {
        return format;
    }

    /** Class names file, one per line; empty = the model's metadata, else COCO-80 or classN. */
    public Optional<Path> labels() {
        return Optional.ofNullable(labels).map(Path::of);
    }

    /** Labels to keep (e.g. {@code person}); empty = all. */
    public List<String> classFilter() {
        return classFilter;
    }

    public DeviceSpec device() {
        return device;
    }

    /** Keep boxes scoring above this; empty = the format's default. */
    public Optional<Float> scoreThreshold() {
        return Optional.ofNullable(scoreThreshold);
    }

    /** Most frames per ORT call (models with a fixed batch of 1 use 1). */
    public int maxBatch() {
        return maxBatch;
    }

    /** How long the batcher waits for more frames once one is queued. */
    public Duration maxBatchDelay() {
        return maxBatchDelay;
    }

    /**
     * Most frames a slot's batcher holds at once (accepted and not finished: queued for decoding,
     * decoded, or in an ORT run); it refuses more. {@link InferenceOptions} sets twice {@code
     * --async-capacity}: Flink keeps that many in flight, plus as many timed out in Flink that the
     * batcher has yet to drop.
     */
    public int maxInflight() {
        return maxInflight;
    }

    /** ORT intra-op threads: as set, else 1 on a GPU (it does the work), else half the cores. */
    public int intraOpThreads(boolean gpu) {
        if (intraOpThreads > 0) {
            return intraOpThreads;
        }
        return gpu ? 1 : halfTheCores();
    }

    /** Threads decoding and preprocessing frames: as set, else half the cores (1..4). */
    public int preprocessThreads() {
        return preprocessThreads > 0 ? preprocessThreads : halfTheCores();
    }

    private static int halfTheCores() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
    }

    @Override
    public String toString() {
        return "DetectorSettings{model="
                + model
                + ", format="
                + format.cliName()
                + ", device="
                + device.cliValue()
                + ", maxBatch="
                + maxBatch
                + ", maxBatchDelay="
                + maxBatchDelay
                + "}";
    }

    /** Builds checked settings; each setter replaces one default. */
    public static final class Builder {

        private final Path model;
        private ModelFormat format = ModelFormat.AUTO;
        private Path labels;
        private List<String> classFilter = List.of();
        private DeviceSpec device = DeviceSpec.AUTO;
        private Float scoreThreshold;
        private int maxBatch = 8;
        private Duration maxBatchDelay = InferenceOptions.MAX_BATCH_DELAY.defaultValue();
        private int intraOpThreads;
        private int preprocessThreads;
        private int maxInflight = DEFAULT_MAX_INFLIGHT;

        private Builder(Path model) {
            this.model = model;
        }

        public Builder format(ModelFormat f) {
            this.format = f;
            return this;
        }

        /** null = from the model's metadata. */
        public Builder labels(Path file) {
            this.labels = file;
            return this;
        }

        public Builder classFilter(List<String> keep) {
            this.classFilter = keep;
            return this;
        }

        public Builder device(DeviceSpec d) {
            this.device = d;
            return this;
        }

        /** Parsed by {@link DeviceSpec#parse}. */
        public Builder device(String d) {
            return device(DeviceSpec.parse(d));
        }

        /** null = the format's default. */
        public Builder scoreThreshold(Float score) {
            this.scoreThreshold = score;
            return this;
        }

        public Builder batching(int max, Duration delay) {
            this.maxBatch = max;
            this.maxBatchDelay = delay;
            return this;
        }

        /**
         * @param intraOp ORT intra-op threads; 0 = auto
         * @param preprocess decode + preprocess threads; 0 = auto
         */
        public Builder threads(int intraOp, int preprocess) {
            this.intraOpThreads = intraOp;
            this.preprocessThreads = preprocess;
            return this;
        }

        /** Most frames the batcher holds at once; see {@link DetectorSettings#maxInflight()}. */
        public Builder maxInflight(int frames) {
            this.maxInflight = frames;
            return this;
        }

        /**
         * @throws IllegalArgumentException for a value no detector can run with
         */
        public DetectorSettings build() {
            require(model != null && !model.toString().isBlank(), "--model is required");
            require(format != null && device != null, "format and device are required");
            require(maxBatch >= 1, "--max-batch must be > 0, got " + maxBatch + ".");
            require(
                    maxBatchDelay != null && !maxBatchDelay.isNegative(),
                    "--max-batch-delay must be >= 0, got " + maxBatchDelay + ".");
            require(
                    scoreThreshold == null || (scoreThreshold > 0 && scoreThreshold < 1),
                    "--score-threshold must be in (0, 1), got " + scoreThreshold + ".");
            require(intraOpThreads >= 0 && preprocessThreads >= 0, "threads must be >= 0");
            require(maxInflight >= 1, "max frames in flight must be > 0, got " + maxInflight);
            return new DetectorSettings(this);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
