package io.frameflow.job;

import io.frameflow.connectors.KafkaOptions;
import io.frameflow.connectors.sink.DeliveryOptions;
import io.frameflow.connectors.source.InputOptions;
import io.frameflow.job.cli.ArgumentParser;
import io.frameflow.job.cli.HelpText;
import io.frameflow.operators.annotate.AnnotateOptions;
import io.frameflow.operators.config.OptionGroup;
import io.frameflow.operators.config.Problems;
import io.frameflow.operators.face.FaceOptions;
import io.frameflow.operators.inference.DetectorSettings;
import io.frameflow.operators.inference.InferenceOptions;
import io.frameflow.operators.policy.DropPolicyOptions;
import io.frameflow.operators.secondary.ClassifierOptions;
import io.frameflow.operators.stats.WindowOptions;
import io.frameflow.operators.time.EventTimeOptions;
import io.frameflow.operators.track.TrackOptions;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The job's options as given: the values of every component's {@link OptionGroup}, set from program
 * arguments ({@code --key value}) and validated, all at once, before anything starts. {@code
 * --kafka.<property> value} passes a Kafka client property to every source, sink and admin client.
 * The options themselves are declared beside the components they configure.
 */
public final class FrameFlowOptions {

    /** Every option group, in help order. */
    public static final List<OptionGroup> GROUPS =
            List.of(
                    KafkaOptions.GROUP,
                    InputOptions.GROUP,
                    DeliveryOptions.GROUP,
                    InferenceOptions.GROUP,
                    TrackOptions.GROUP,
                    FaceOptions.GROUP,
                    ClassifierOptions.GROUP,
                    AnnotateOptions.GROUP,
                    EventTimeOptions.GROUP,
                    WindowOptions.GROUP,
                    DropPolicyOptions.GROUP,
                    JobOptions.GROUP);

    /** The options as given (command line, {@link #with}). */
    private final Configuration given;

    /** {@link #given} plus the defaults that depend on other options ({@link DeploymentIds}). */
    private final Configuration config;

    private final Properties kafka;

    /** Set by {@link #validate()}. */
    private DetectorSettings detectorSettings;

    /** {@code --models}, set by {@link #validate()}. */
    private List<DetectorSettings> others = List.of();

    private FrameFlowOptions(Configuration given, Properties kafka) {
        this.given = given;
        this.config = DeploymentIds.withDefaults(given);
        this.kafka = kafka;
    }

    /** All options, in help order. */
    public static List<ConfigOption<?>> all() {
        return GROUPS.stream().flatMap(g -> g.options().stream()).toList();
    }

    /** True when the arguments ask for help. */
    public static boolean wantsHelp(String[] args) {
        return List.of(args).stream()
                .anyMatch(a -> a.equals("--help") || a.equals("-h") || a.equals("help"));
    }

    /**
     * Parses {@code --key value}, {@code --key=value} and bare {@code --flag} (for booleans).
     *
     * @throws IllegalArgumentException naming the unknown or malformed argument
     */
    public static FrameFlowOptions fromArgs(String... args) {
        ArgumentParser.Parsed parsed =
                new ArgumentParser(all(), KafkaOptions.CLIENT_PROPERTY_PREFIX).parse(args);
        return new FrameFlowOptions(parsed.config(), parsed.passThrough());
    }

    /** The {@code --help} text: every option with its default and description. */
    public static String help() {
        return HelpText.render(GROUPS, KafkaOptions.CLIENT_PROPERTY_PREFIX);
    }

    /**
     * Checks every option for values that cannot work, all at once.
     *
     * @throws IllegalArgumentException listing each problem and how to fix it
     */
    public FrameFlowOptions validate() {
        Problems problems = new Problems();
        DetectorSettings settings = null;
        for (OptionGroup group : GROUPS) {
            if (group == InferenceOptions.GROUP) {
                // the inference options' check is their parse: keep what it builds
                settings = InferenceOptions.validated(config, problems);
                if (settings != null) {
                    others = InferenceOptions.others(config, settings, problems);
                }
            } else {
                group.validate(config, problems);
            }
        }
        problems.throwIfAny();
        detectorSettings = settings;
        return this;
    }

    /**
     * The detector settings: those {@link #validate()} built, so the model path is parsed and
     * checked once at start-up; parsed here for options that were not validated (tests).
     */
    public DetectorSettings detectorSettings() {
        return detectorSettings != null ? detectorSettings : InferenceOptions.settings(config);
    }

    /** The job's other models ({@code --models}), as {@link #validate()} checked them. */
    public List<DetectorSettings> otherModels() {
        if (others.isEmpty() && !config.get(InferenceOptions.MODELS).isBlank()) {
            Problems problems = new Problems();
            List<DetectorSettings> parsed =
                    InferenceOptions.others(config, detectorSettings(), problems);
            problems.throwIfAny();
            return parsed;
        }
        return others;
    }

    /** The names cameras may choose in their settings' {@code models}: --model's first. */
    public List<String> modelNames() {
        List<String> names = new java.util.ArrayList<>();
        names.add(detectorSettings().modelName());
        otherModels().forEach(m -> names.add(m.modelName()));
        return names;
    }

    public <T> T get(ConfigOption<T> option) {
        return config.get(option);
    }

    public <T> Optional<T> getOptional(ConfigOption<T> option) {
        return config.getOptional(option);
    }

    /**
     * The options as a Flink configuration: the keys that were given, plus the group id and
     * transactional-id prefix derived where they were not.
     */
    public ReadableConfig config() {
        return config;
    }

    /** Only the keys given on the command line (or through {@link #with}). */
    public ReadableConfig given() {
        return given;
    }

    /** A copy with one option changed (tests and the local runner). */
    public <T> FrameFlowOptions with(ConfigOption<T> option, T value) {
        Configuration copy = new Configuration(given);
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

    /** The {@code --kafka.*} properties as a map, as the connectors take them. */
    public Map<String, String> kafkaClientProperties() {
        Map<String, String> props = new HashMap<>();
        kafka.forEach((k, v) -> props.put((String) k, (String) v));
        return props;
    }

    /** Whether detections and stats go through transactional (exactly-once) sinks. */
    public boolean resultsExactlyOnce() {
        return DeliveryOptions.resultsExactlyOnce(config);
    }

    public boolean annotatedExactlyOnce() {
        return DeliveryOptions.annotatedExactlyOnce(config);
    }

    /** The model file: {@code --model}, else the default model in the shared directory. */
    public Path modelPath() {
        return InferenceOptions.modelPath(config);
    }

    /** Options as set (for logging), without Kafka secrets. */
    public Map<String, String> asMap() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(config.toMap()));
    }
}
