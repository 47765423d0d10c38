package io.frameflow.job;

import io.frameflow.connectors.sink.ExactlyOnceSupport;
import io.frameflow.connectors.source.StartingOffsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.kafka.common.utils.AppInfoParser;

/**
 * The job's options: typed {@link ConfigOption}s with defaults and descriptions, set from program
 * arguments ({@code --key value}) and validated before anything starts. {@code --kafka.<property>
 * value} passes a Kafka client property (e.g. {@code security.protocol}, {@code sasl.*}) to every
 * source, sink and admin client.
 */
public final class FrameFlowOptions {

    /** Name of the model FrameFlow looks for in {@code <shared-dir>/models/} by default. */
    public static final String DEFAULT_MODEL_FILE = "yolox_nano.onnx";

    public static final String KAFKA_PREFIX = "kafka.";

    private static final Map<String, ConfigOption<?>> ALL = new LinkedHashMap<>();
    private static final Map<String, String> DESCRIPTIONS = new LinkedHashMap<>();

    // --- Kafka ---
    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            register(
                    ConfigOptions.key("bootstrap-servers")
                            .stringType()
                            .defaultValue("localhost:9092"),
                    "Kafka bootstrap servers, host:port[,host:port...].");
    public static final ConfigOption<String> TOPIC_FRAMES =
            register(
                    ConfigOptions.key("topic.frames").stringType().defaultValue("frames"),
                    "Input topic: key = camera id, value = JPEG/PNG, timestamp = capture time.");
    public static final ConfigOption<String> TOPIC_DETECTIONS =
            register(
                    ConfigOptions.key("topic.detections")
                            .stringType()
                            .defaultValue("frames.detections"),
                    "Output topic: one JSON object of detections per frame.");
    public static final ConfigOption<String> TOPIC_ANNOTATED =
            register(
                    ConfigOptions.key("topic.annotated")
                            .stringType()
                            .defaultValue("frames.annotated"),
                    "Output topic: JPEG frames with boxes drawn.");
    public static final ConfigOption<String> TOPIC_STATS =
            register(
                    ConfigOptions.key("topic.stats").stringType().defaultValue("frames.stats"),
                    "Output topic: one JSON object per camera window.");
    public static final ConfigOption<String> TOPIC_DLQ =
            register(
                    ConfigOptions.key("topic.dlq").stringType().defaultValue("frames.dlq"),
                    "Dead-letter topic: records that could not be processed, with the reason.");
    public static final ConfigOption<String> GROUP_ID =
            register(
                    ConfigOptions.key("group-id").stringType().defaultValue("frameflow"),
                    "Kafka consumer group id (offsets are committed on checkpoints).");
    public static final ConfigOption<String> STARTING_OFFSETS =
            register(
                    ConfigOptions.key("starting-offsets").stringType().defaultValue("committed"),
                    "Where to start reading without a checkpoint: committed (falls back to "
                            + "earliest), earliest, latest or timestamp:<ms>.");
    public static final ConfigOption<Boolean> BOUNDED =
            register(
                    ConfigOptions.key("bounded").booleanType().defaultValue(false),
                    "Read up to the latest offsets present at start, then finish (process a "
                            + "recorded video end to end as a batch).");
    public static final ConfigOption<MemorySize> MAX_FRAME_BYTES =
            register(
                    ConfigOptions.key("max-frame-bytes")
                            .memoryType()
                            .defaultValue(MemorySize.parse("8mb")),
                    "Larger input records go to the dead-letter topic.");
    public static final ConfigOption<Duration> BUFFER_TIMEOUT =
            register(
                    ConfigOptions.key("buffer-timeout").durationType().defaultValue(Duration.ZERO),
                    "How long Flink holds a network buffer before sending it; 0 sends each"
                            + " record as it is emitted. Frames are small next to a 32 KiB buffer,"
                            + " so Flink's 100 ms default adds up to that much latency per shuffle,"
                            + " and any positive value starts a flusher thread per task that wakes"
                            + " that often: at 1 ms those wake-ups cost more CPU than sending a few"
                            + " hundred frames a second one by one (docs/benchmarks.md).");
    public static final ConfigOption<Duration> MAX_FUTURE_SKEW =
            register(
                    ConfigOptions.key("max-future-skew")
                            .durationType()
                            .defaultValue(Duration.ofMinutes(5)),
                    "Frames stamped further than this ahead of the wall clock go to the"
                            + " dead-letter topic (a camera with a wrong clock would otherwise"
                            + " push the watermark ahead and make other cameras' frames late)."
                            + " Keep it near --out-of-orderness where camera clocks are synced.");
    public static final ConfigOption<String> DELIVERY =
            register(
                    ConfigOptions.key("delivery").stringType().defaultValue("auto"),
                    "Delivery guarantee of frames.detections and frames.stats: exactly-once "
                            + "(transactional, committed on checkpoints), at-least-once, or auto "
                            + "= exactly-once where the Kafka client supports it (kafka-clients "
                            + "4.3 does not run flink-connector-kafka 5.0's transactions), else "
                            + "at-least-once with a warning.");
    public static final ConfigOption<String> ANNOTATED_DELIVERY =
            register(
                    ConfigOptions.key("annotated-delivery")
                            .stringType()
                            .defaultValue("at-least-once"),
                    "Delivery guarantee of frames.annotated: at-least-once or exactly-once.");
    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
            register(
                    ConfigOptions.key("transactional-id-prefix")
                            .stringType()
                            .defaultValue("frameflow"),
                    "Prefix of the Kafka transactional ids of the exactly-once sinks; must be "
                            + "unique per job on a cluster.");
    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT =
            register(
                    ConfigOptions.key("transaction-timeout")
                            .durationType()
                            .defaultValue(Duration.ofMinutes(10)),
                    "Kafka transaction timeout of the exactly-once sinks; keep it well above "
                            + "checkpoint interval + restart time and at most the broker's "
                            + "transaction.max.timeout.ms (15 min by default).");

    // --- model and inference ---
    public static final ConfigOption<String> SHARED_DIR =
            register(
                    ConfigOptions.key("shared-dir")
                            .stringType()
                            .defaultValue(
                                    Optional.ofNullable(System.getenv("FRAMEFLOW_SHARED"))
                                            .orElse("../shared")),
                    "Directory with models/ and media/ (env FRAMEFLOW_SHARED).");
    public static final ConfigOption<String> MODEL =
            register(
                    ConfigOptions.key("model").stringType().noDefaultValue(),
                    "ONNX detector file (unset: <shared-dir>/models/" + DEFAULT_MODEL_FILE + ").");
    public static final ConfigOption<String> MODEL_FORMAT =
            register(
                    ConfigOptions.key("model-format").stringType().defaultValue("auto"),
                    "Output layout: auto, ultralytics, yolov5, yolox, fastestdet, ultraface, "
                            + "yunet.");
    public static final ConfigOption<String> LABELS =
            register(
                    ConfigOptions.key("labels").stringType().noDefaultValue(),
                    "Class names file, one per line (default: from the model's metadata or "
                            + "COCO-80).");
    public static final ConfigOption<String> DEVICE =
            register(
                    ConfigOptions.key("device").stringType().defaultValue("auto"),
                    "auto (CUDA when it loads, else CPU), cpu, cuda or cuda:N.");
    public static final ConfigOption<Double> SCORE_THRESHOLD =
            register(
                    ConfigOptions.key("score-threshold").doubleType().noDefaultValue(),
                    "Minimum detection score, 0..1 (default: the model format's).");
    public static final ConfigOption<Integer> MAX_BATCH =
            register(
                    ConfigOptions.key("max-batch").intType().defaultValue(8),
                    "Most frames per ONNX Runtime run (across cameras of a slot).");
    public static final ConfigOption<Duration> MAX_BATCH_DELAY =
            register(
                    ConfigOptions.key("max-batch-delay")
                            .durationType()
                            .defaultValue(Duration.ofMillis(5)),
                    "How long a batch waits for more frames before it runs.");
    public static final ConfigOption<Duration> ASYNC_TIMEOUT =
            register(
                    ConfigOptions.key("async-timeout")
                            .durationType()
                            .defaultValue(Duration.ofSeconds(30)),
                    "Inference time limit per frame; a frame over it goes to the dead-letter "
                            + "topic.");
    public static final ConfigOption<Integer> ASYNC_CAPACITY =
            register(
                    ConfigOptions.key("async-capacity").intType().defaultValue(32),
                    "Frames in flight per inference slot (back-pressure beyond that).");
    public static final ConfigOption<Integer> JPEG_QUALITY =
            register(
                    ConfigOptions.key("jpeg-quality").intType().defaultValue(85),
                    "JPEG quality of annotated frames, 1..100.");
    public static final ConfigOption<Integer> ANNOTATED_MAX_WIDTH =
            register(
                    ConfigOptions.key("annotated-max-width").intType().defaultValue(1280),
                    "Widest annotated frame in pixels: larger frames are drawn scaled down to"
                            + " between 3/4 of it and it (a JPEG decoded at 1/2, 1/4 or 1/8 scale"
                            + " where that suffices: a 1080p camera comes out 960 wide), which keeps"
                            + " a 1080p or 4K camera's preview cheap to draw, send and show. 0 keeps"
                            + " each frame's size.");

    // --- time, windows, drop policy ---
    public static final ConfigOption<Duration> WINDOW_SIZE =
            register(
                    ConfigOptions.key("window-size")
                            .durationType()
                            .defaultValue(Duration.ofSeconds(10)),
                    "Size of the per-camera event-time tumbling stats windows.");
    public static final ConfigOption<Duration> ALLOWED_LATENESS =
            register(
                    ConfigOptions.key("allowed-lateness")
                            .durationType()
                            .defaultValue(Duration.ZERO),
                    "Late frames within this update a fired window (it fires again).");
    public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
            register(
                    ConfigOptions.key("out-of-orderness")
                            .durationType()
                            .defaultValue(Duration.ofSeconds(2)),
                    "How far capture times may be out of order (watermark delay).");
    public static final ConfigOption<Duration> SOURCE_IDLENESS =
            register(
                    ConfigOptions.key("source-idleness")
                            .durationType()
                            .defaultValue(Duration.ofSeconds(60)),
                    "A partition without frames for this long stops holding back the watermark."
                            + " Longer than a broker outage the stats windows must ride out"
                            + " (shorter: a partition that resumes late finds its backlog late);"
                            + " shorter: windows wait less for a partition that has no cameras.");
    public static final ConfigOption<Long> MAX_FRAME_AGE_MS =
            register(
                    ConfigOptions.key("max-frame-age-ms").longType().defaultValue(0L),
                    "Drop frames older than this (capture time to arrival at the drop policy, "
                            + "and again to the start of their inference) instead of inferring "
                            + "them; bounds latency under overload. 0 = never.");
    public static final ConfigOption<Double> MAX_FPS =
            register(
                    ConfigOptions.key("max-fps").doubleType().defaultValue(0.0),
                    "Keep at most this many frames per second per camera; 0 = all.");
    public static final ConfigOption<Duration> CAMERA_IDLE_TIMEOUT =
            register(
                    ConfigOptions.key("camera-idle-timeout")
                            .durationType()
                            .defaultValue(Duration.ofMinutes(1)),
                    "The drop policy forgets a camera silent for this long.");

    // --- Flink ---
    public static final ConfigOption<Integer> PARALLELISM =
            register(
                    ConfigOptions.key("parallelism").intType().noDefaultValue(),
                    "Job parallelism (default: the cluster's).");
    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            register(
                    ConfigOptions.key("checkpoint-interval")
                            .durationType()
                            .defaultValue(Duration.ofSeconds(10)),
                    "Checkpoint interval; exactly-once outputs are committed on checkpoints.");
    public static final ConfigOption<String> JOB_NAME =
            register(
                    ConfigOptions.key("job-name").stringType().defaultValue("FrameFlow"),
                    "Name shown in the Flink web UI and in metrics.");

    private final Configuration config;
    private final Properties kafka;

    private FrameFlowOptions(Configuration config, Properties kafka) {
        this.config = config;
        this.kafka = kafka;
    }

    private static <T> ConfigOption<T> register(ConfigOption<T> option, String description) {
        ConfigOption<T> described = option.withDescription(description);
        ALL.put(option.key(), described);
        DESCRIPTIONS.put(option.key(), description);
        return described;
    }

    /** All options, in help order. */
    public static List<ConfigOption<?>> all() {
        return List.copyOf(ALL.values());
    }

    /** True when the arguments ask for help. */
    public static boolean wantsHelp(String[] args) {
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h") || a.equals("help")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Parses {@code --key value}, {@code --key=value} and bare {@code --flag} (for booleans).
     *
     * @throws IllegalArgumentException naming the unknown or malformed argument
     */
    public static FrameFlowOptions fromArgs(String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        Properties kafka = new Properties();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException(
                        "Unexpected argument '" + arg + "': options are --key value (see --help).");
            }
            String key = arg.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                value = null;
            }
            if (key.startsWith(KAFKA_PREFIX)) {
                if (value == null) {
                    throw new IllegalArgumentException("--" + key + " needs a value.");
                }
                kafka.setProperty(key.substring(KAFKA_PREFIX.length()), value);
                continue;
            }
            ConfigOption<?> option = ALL.get(key);
            if (option == null) {
                throw new IllegalArgumentException(
                        "Unknown option --" + key + suggestion(key) + " (see --help).");
            }
            if (value == null) {
                if (!BOUNDED.key().equals(key)) {
                    throw new IllegalArgumentException("--" + key + " needs a value.");
                }
                value = "true";
            }
            values.put(key, value);
        }
        Configuration config = Configuration.fromMap(values);
        FrameFlowOptions options = new FrameFlowOptions(config, kafka);
        options.checkTypes();
        return options;
    }

    private static String suggestion(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : ALL.keySet()) {
            int d = distance(key, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return bestDistance <= 3 ? " (did you mean --" + best + "?)" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Reads every set option once, so a malformed number or duration fails here, named. */
    private void checkTypes() {
        for (ConfigOption<?> option : ALL.values()) {
            try {
                config.getOptional(option);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "Bad value for --"
                                + option.key()
                                + ": "
                                + config.toMap().get(option.key())
                                + " ("
                                + e.getMessage()
                                + "). "
                                + DESCRIPTIONS.get(option.key()),
                        e);
            }
        }
    }

    /** The parsed options, for the option groups that read their own (e.g. inference). */
    public ReadableConfig config() {
        return config;
    }

    public <T> T get(ConfigOption<T> option) {
        return config.get(option);
    }

    public <T> Optional<T> getOptional(ConfigOption<T> option) {
        return config.getOptional(option);
    }

    /** A copy with one option changed (tests and the local runner). */
    public <T> FrameFlowOptions with(ConfigOption<T> option, T value) {
        Configuration copy = new Configuration(config);
        copy.set(option, value);
        Properties k = new Properties();
        k.putAll(kafka);
        return new FrameFlowOptions(copy, k);
    }

    /** The {@code --kafka.*} properties, without the prefix. */
    public Properties kafkaProperties() {
        Properties copy = new Properties();
        copy.putAll(kafka);
        return copy;
    }

    /** Whether detections and stats go through transactional (exactly-once) sinks. */
    public boolean resultsExactlyOnce() {
        String d = get(DELIVERY).toLowerCase(Locale.ROOT);
        return d.equals("exactly-once") || (d.equals("auto") && ExactlyOnceSupport.available());
    }

    public boolean annotatedExactlyOnce() {
        return get(ANNOTATED_DELIVERY).toLowerCase(Locale.ROOT).equals("exactly-once");
    }

    /** The model file: {@code --model}, else the default model in the shared directory. */
    public Path modelPath() {
        return getOptional(MODEL)
                .map(Path::of)
                .orElse(Path.of(get(SHARED_DIR), "models", DEFAULT_MODEL_FILE));
    }

    /**
     * Checks every option for values that cannot work, all at once.
     *
     * @throws IllegalArgumentException listing each problem and how to fix it
     */
    public FrameFlowOptions validate() {
        List<String> problems = new ArrayList<>();
        if (get(BOOTSTRAP_SERVERS).isBlank()) {
            problems.add("--bootstrap-servers is empty: give the Kafka brokers as host:port.");
        }
        for (ConfigOption<String> topic :
                List.of(TOPIC_FRAMES, TOPIC_DETECTIONS, TOPIC_ANNOTATED, TOPIC_STATS, TOPIC_DLQ)) {
            if (!get(topic).matches("[a-zA-Z0-9._-]{1,249}")) {
                problems.add(
                        "--"
                                + topic.key()
                                + " '"
                                + get(topic)
                                + "' is not a valid Kafka topic name.");
            }
        }
        try {
            StartingOffsets.parse(get(STARTING_OFFSETS));
        } catch (IllegalArgumentException e) {
            problems.add("--starting-offsets: " + e.getMessage() + ".");
        }
        if (!List.of("at-least-once", "exactly-once")
                .contains(get(ANNOTATED_DELIVERY).toLowerCase(Locale.ROOT))) {
            problems.add("--annotated-delivery must be at-least-once or exactly-once.");
        }
        if (!List.of("auto", "at-least-once", "exactly-once")
                .contains(get(DELIVERY).toLowerCase(Locale.ROOT))) {
            problems.add("--delivery must be auto, at-least-once or exactly-once.");
        }
        boolean exactlyOnceAsked =
                get(DELIVERY).equalsIgnoreCase("exactly-once") || annotatedExactlyOnce();
        if (exactlyOnceAsked && !ExactlyOnceSupport.available()) {
            problems.add(
                    "exactly-once delivery was asked for, but kafka-clients "
                            + AppInfoParser.getVersion()
                            + " on this classpath cannot run flink-connector-kafka 5.0.0-2.2's "
                            + "transactions (it lacks TransactionalRequestResult.await()). Use "
                            + "--delivery at-least-once (or auto) and --annotated-delivery "
                            + "at-least-once, or build the job with kafka-clients 4.2.x.");
        }
        if (get(TRANSACTIONAL_ID_PREFIX).isBlank()) {
            problems.add("--transactional-id-prefix is empty: give a prefix unique to this job.");
        }
        Path model = modelPath();
        if (!Files.isRegularFile(model)) {
            problems.add(missingModel(model));
        }
        getOptional(LABELS)
                .filter(l -> !Files.isRegularFile(Path.of(l)))
                .ifPresent(l -> problems.add("--labels file " + l + " does not exist."));
        if (!get(DEVICE).matches("auto|cpu|cuda(:\\d+)?")) {
            problems.add("--device must be auto, cpu, cuda or cuda:N, got '" + get(DEVICE) + "'.");
        }
        if (!List.of("auto", "ultralytics", "yolov5", "yolox", "fastestdet", "ultraface", "yunet")
                .contains(get(MODEL_FORMAT))) {
            problems.add(
                    "--model-format must be one of auto, ultralytics, yolov5, yolox, fastestdet, "
                            + "ultraface, yunet; got '"
                            + get(MODEL_FORMAT)
                            + "'.");
        }
        getOptional(SCORE_THRESHOLD)
                .filter(s -> !(s > 0 && s < 1))
                .ifPresent(
                        s -> problems.add("--score-threshold must be in (0, 1), got " + s + "."));
        positive(problems, MAX_BATCH);
        positive(problems, ASYNC_CAPACITY);
        getOptional(PARALLELISM)
                .filter(p -> p < 1)
                .ifPresent(p -> problems.add("--parallelism must be >= 1, got " + p + "."));
        if (get(ANNOTATED_MAX_WIDTH) < 0 || get(ANNOTATED_MAX_WIDTH) == 1) {
            problems.add(
                    "--annotated-max-width must be 0 (keep the size) or at least 2 pixels, got "
                            + get(ANNOTATED_MAX_WIDTH)
                            + ".");
        }
        if (get(JPEG_QUALITY) < 1 || get(JPEG_QUALITY) > 100) {
            problems.add("--jpeg-quality must be 1..100, got " + get(JPEG_QUALITY) + ".");
        }
        positive(problems, WINDOW_SIZE);
        positive(problems, ASYNC_TIMEOUT);
        positive(problems, CHECKPOINT_INTERVAL);
        positive(problems, CAMERA_IDLE_TIMEOUT);
        positive(problems, SOURCE_IDLENESS);
        positive(problems, MAX_FUTURE_SKEW);
        if (get(MAX_BATCH_DELAY).isNegative()) {
            problems.add("--max-batch-delay must be >= 0.");
        }
        if (get(ALLOWED_LATENESS).isNegative() || get(OUT_OF_ORDERNESS).isNegative()) {
            problems.add("--allowed-lateness and --out-of-orderness must be >= 0.");
        }
        if (get(MAX_FRAME_AGE_MS) < 0) {
            problems.add("--max-frame-age-ms must be >= 0 (0 = never drop for age).");
        }
        if (get(MAX_FPS) < 0 || get(MAX_FPS).isNaN() || get(MAX_FPS).isInfinite()) {
            problems.add("--max-fps must be >= 0 (0 = keep every frame).");
        }
        if (get(MAX_FRAME_BYTES).getBytes() < 1 || get(MAX_FRAME_BYTES).getBytes() > 64 << 20) {
            problems.add("--max-frame-bytes must be between 1 byte and 64mb.");
        }
        if (get(TRANSACTION_TIMEOUT).compareTo(get(CHECKPOINT_INTERVAL).multipliedBy(3)) < 0) {
            problems.add(
                    "--transaction-timeout ("
                            + get(TRANSACTION_TIMEOUT)
                            + ") must be well above --checkpoint-interval ("
                            + get(CHECKPOINT_INTERVAL)
                            + "), at least 3x, or transactions abort while a checkpoint is "
                            + "pending.");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "FrameFlow cannot start:\n  - " + String.join("\n  - ", problems));
        }
        return this;
    }

    private void positive(List<String> problems, ConfigOption<?> option) {
        Object v = get(option);
        boolean ok =
                v instanceof Integer i
                        ? i > 0
                        : v instanceof Duration d ? !d.isNegative() && !d.isZero() : true;
        if (!ok) {
            problems.add("--" + option.key() + " must be > 0, got " + v + ".");
        }
    }

    /** What to do when no model file is found. */
    static String missingModel(Path model) {
        return "No model at "
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

    /** The {@code --help} text: every option with its default and description. */
    public static String help() {
        StringBuilder sb = new StringBuilder();
        sb.append("FrameFlow: real-time multi-camera video analytics on Flink.\n\n")
                .append("Usage: flink run frameflow-job.jar [--option value ...]\n\n")
                .append("Options:\n");
        for (ConfigOption<?> option : ALL.values()) {
            String def = option.hasDefaultValue() ? format(option.defaultValue()) : "(none)";
            String placeholder = placeholder(option);
            sb.append("  --")
                    .append(option.key())
                    .append(placeholder.isEmpty() ? "" : " " + placeholder)
                    .append("\n      ")
                    .append(DESCRIPTIONS.get(option.key()))
                    .append(" Default: ")
                    .append(def)
                    .append('\n');
        }
        sb.append("  --kafka.<property> VALUE\n")
                .append("      Any Kafka client property for sources, sinks and admin, e.g. ")
                .append("--kafka.security.protocol SASL_SSL --kafka.sasl.mechanism PLAIN.\n");
        return sb.toString();
    }

    private static String placeholder(ConfigOption<?> option) {
        Object d = option.hasDefaultValue() ? option.defaultValue() : null;
        if (d instanceof Boolean) {
            return "";
        }
        if (d instanceof Duration) {
            return "DURATION";
        }
        if (d instanceof MemorySize) {
            return "SIZE";
        }
        return "VALUE";
    }

    private static String format(Object value) {
        if (value instanceof Duration d) {
            if (d.toMillis() % 60_000 == 0 && d.toMinutes() > 0) {
                return d.toMinutes() + " min";
            }
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
        }
        return String.valueOf(value);
    }

    /** Options as set (for logging), without Kafka secrets. */
    public Map<String, String> asMap() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(config.toMap()));
    }
}
