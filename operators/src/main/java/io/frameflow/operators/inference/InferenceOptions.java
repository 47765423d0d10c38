package io.frameflow.operators.inference;

import io.frameflow.operators.config.OptionGroup;
import io.frameflow.operators.config.Problems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The model and inference options, declared once, with their checks; {@link #settings} turns them
 * into the one typed value the detectors run with. The job lists {@link #GROUP} among its option
 * groups for parsing and {@code --help}.
 */
public final class InferenceOptions implements OptionGroup {

    public static final InferenceOptions GROUP = new InferenceOptions();

    /** Name of the model FrameFlow looks for in {@code <shared-dir>/models/} by default. */
    public static final String DEFAULT_MODEL_FILE = "yolox_nano.onnx";

    public static final ConfigOption<String> SHARED_DIR =
            ConfigOptions.key("shared-dir")
                    .stringType()
                    .defaultValue(
                            Optional.ofNullable(System.getenv("FRAMEFLOW_SHARED"))
                                    .orElse("../shared"))
                    .withDescription("Directory with models/ and media/ (env FRAMEFLOW_SHARED).");
    public static final ConfigOption<String> MODEL =
            ConfigOptions.key("model")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "ONNX detector file (unset: <shared-dir>/models/"
                                    + DEFAULT_MODEL_FILE
                                    + ").");
    public static final ConfigOption<String> MODELS =
            ConfigOptions.key("models")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Other models a camera may run besides or instead of --model,"
                                    + " comma-separated files (e.g. a face model beside a person"
                                    + " detector); a camera chooses by name (file name without"
                                    + " .onnx) in its settings' \"models\" list, and their"
                                    + " detections merge into one record per frame. Each runs with"
                                    + " its own layout (auto), labels and default score, and batches"
                                    + " across the cameras that use it.");
    public static final ConfigOption<String> MODEL_FORMAT =
            ConfigOptions.key("model-format")
                    .stringType()
                    .defaultValue("auto")
                    .withDescription("Output layout: " + ModelFormat.choices() + ".");
    public static final ConfigOption<String> LABELS =
            ConfigOptions.key("labels")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Class names file, one per line (default: from the model's metadata"
                                    + " or COCO-80).");
    public static final ConfigOption<String> DEVICE =
            ConfigOptions.key("device")
                    .stringType()
                    .defaultValue("auto")
                    .withDescription("auto (CUDA when it loads, else CPU), cpu, cuda or cuda:N.");
    public static final ConfigOption<Double> SCORE_THRESHOLD =
            ConfigOptions.key("score-threshold")
                    .doubleType()
                    .noDefaultValue()
                    .withDescription(
                            "Minimum detection score, 0..1 (default: the model format's).");
    public static final ConfigOption<Integer> MAX_BATCH =
            ConfigOptions.key("max-batch")
                    .intType()
                    .defaultValue(8)
                    .withDescription(
                            "Most frames per ONNX Runtime run (across cameras of a slot).");
    public static final ConfigOption<Duration> MAX_BATCH_DELAY =
            ConfigOptions.key("max-batch-delay")
                    .durationType()
                    .defaultValue(Duration.ofMillis(5))
                    .withDescription("How long a batch waits for more frames before it runs.");
    public static final ConfigOption<Duration> ASYNC_TIMEOUT =
            ConfigOptions.key("async-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "Inference time limit per frame; a frame over it goes to the"
                                    + " dead-letter topic.");
    public static final ConfigOption<Integer> ASYNC_CAPACITY =
            ConfigOptions.key("async-capacity")
                    .intType()
                    .defaultValue(32)
                    .withDescription(
                            "Frames in flight per inference slot (back-pressure beyond that).");

    public static final ConfigOption<Duration> MODEL_POLL_INTERVAL =
            ConfigOptions.key("model-poll-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "How often each inference slot looks at its model files: a file"
                                    + " replaced while the job runs (write it beside, rename it"
                                    + " over) is loaded and used from the next frame, frames in"
                                    + " flight finish on the old version, and a file that does"
                                    + " not load leaves the running one in place. 0 = never"
                                    + " (a new file then needs a restart).");

    private InferenceOptions() {}

    @Override
    public String title() {
        return "Model and inference";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return List.of(
                SHARED_DIR,
                MODEL,
                MODELS,
                MODEL_FORMAT,
                LABELS,
                DEVICE,
                SCORE_THRESHOLD,
                MAX_BATCH,
                MAX_BATCH_DELAY,
                ASYNC_TIMEOUT,
                ASYNC_CAPACITY,
                MODEL_POLL_INTERVAL);
    }

    @Override
    public void validate(ReadableConfig config, Problems problems) {
        validated(config, problems);
    }

    /**
     * Checks every inference option, adding one problem per value that cannot work, and returns the
     * settings they describe (null when there were problems): the one parse of the model path and
     * the rest that the job's start-up runs.
     */
    public static DetectorSettings validated(ReadableConfig config, Problems problems) {
        DetectorSettings settings = read(config, problems);
        problems.positive(config, ASYNC_CAPACITY).positive(config, ASYNC_TIMEOUT);
        return settings;
    }

    /**
     * The detector settings the options describe, checked.
     *
     * @throws IllegalArgumentException listing every problem with these options
     */
    public static DetectorSettings settings(ReadableConfig config) {
        Problems problems = new Problems();
        DetectorSettings settings = read(config, problems);
        problems.throwIfAny();
        return settings;
    }

    /**
     * The job's other models ({@code --models}), each as {@code main} would run it; a missing file
     * or a name used twice (names are file names without {@code .onnx}) is a problem.
     */
    public static List<DetectorSettings> others(
            ReadableConfig config, DetectorSettings main, Problems problems) {
        List<DetectorSettings> out = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        names.add(main.modelName());
        for (String file : config.get(MODELS).split(",")) {
            if (file.isBlank()) {
                continue;
            }
            Path path = Path.of(file.trim());
            if (!Files.isRegularFile(path)) {
                problems.add("--models file " + path + " does not exist.");
                continue;
            }
            DetectorSettings other = main.forAnotherModel(path);
            if (!names.add(other.modelName())) {
                problems.add(
                        "--models: two models are named '"
                                + other.modelName()
                                + "' (cameras choose models by file name): rename one file.");
                continue;
            }
            out.add(other);
        }
        return out;
    }

    /** The model file: {@code --model}, else the default model in the shared directory. */
    public static Path modelPath(ReadableConfig config) {
        return config.getOptional(MODEL)
                .map(Path::of)
                .orElse(Path.of(config.get(SHARED_DIR), "models", DEFAULT_MODEL_FILE));
    }

    /**
     * What to do when no model file is found: the one message for a missing model, at start-up and
     * on a TaskManager that lacks the file.
     */
    public static String missingModel(Path model) {
        return "Model file not found. No model at "
                + model.toAbsolutePath().normalize()
                + ". FrameFlow looks for --model FILE, else <shared-dir>/models/"
                + DEFAULT_MODEL_FILE
                + " (shared-dir = --shared-dir or env FRAMEFLOW_SHARED, default ../shared). "
                + "Get a model: export YOLO11 with Ultralytics "
                + "(pip install ultralytics; yolo export model=yolo11n.pt format=onnx imgsz=640) "
                + "and pass --model yolo11n.onnx, or download yolox_nano.onnx from the YOLOX "
                + "release (https://github.com/Megvii-BaseDetection/YOLOX/releases) into "
                + "<shared-dir>/models/.";
    }

    /**
     * Parses every option once, adding a problem per value that cannot work.
     *
     * @return the settings, or null when there were problems
     */
    private static DetectorSettings read(ReadableConfig config, Problems problems) {
        int before = problems.messages().size();
        Path model = modelPath(config);
        problems.check(Files.isRegularFile(model), missingModel(model));
        Optional<Path> labels = config.getOptional(LABELS).map(Path::of);
        labels.filter(l -> !Files.isRegularFile(l))
                .ifPresent(l -> problems.add("--labels file " + l + " does not exist."));
        DeviceSpec device = parse(problems, () -> DeviceSpec.parse(config.get(DEVICE)));
        ModelFormat format = parse(problems, () -> ModelFormat.parse(config.get(MODEL_FORMAT)));
        Optional<Double> score = config.getOptional(SCORE_THRESHOLD);
        score.filter(s -> !(s > 0 && s < 1))
                .ifPresent(
                        s -> problems.add("--score-threshold must be in (0, 1), got " + s + "."));
        problems.positive(config, MAX_BATCH);
        problems.notNegative(config, MAX_BATCH_DELAY, "");
        if (problems.messages().size() > before) {
            return null;
        }
        return DetectorSettings.forModel(model)
                .format(format)
                .device(device)
                .labels(labels.orElse(null))
                .scoreThreshold(score.map(Double::floatValue).orElse(null))
                .batching(config.get(MAX_BATCH), config.get(MAX_BATCH_DELAY))
                .maxInflight(maxInflight(config.get(ASYNC_CAPACITY)))
                .build();
    }

    /**
     * The batcher's bound for an async capacity: the capacity Flink keeps in flight, plus as many
     * frames that Flink timed out and the batcher has yet to drop (a bad capacity is reported by
     * {@link #validated}; the default bound stands in meanwhile).
     */
    static int maxInflight(int asyncCapacity) {
        return asyncCapacity > 0 && asyncCapacity <= Integer.MAX_VALUE / 2
                ? 2 * asyncCapacity
                : DetectorSettings.DEFAULT_MAX_INFLIGHT;
    }

    private static <T> T parse(Problems problems, java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return null;
        }
    }
}
