package io.frameflow.connectors;

import io.frameflow.operators.config.OptionGroup;
import io.frameflow.operators.config.Problems;
import io.frameflow.records.wire.FrameWire;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Which Kafka cluster, topics and consumer group the job uses. The topic defaults are the wire
 * names of {@link FrameWire}; {@code --kafka.<property>} passes any other client property.
 */
public final class KafkaOptions implements OptionGroup {

    public static final KafkaOptions GROUP = new KafkaOptions();

    /**
     * Prefix of the arguments that pass a Kafka client property to every source, sink and admin.
     */
    public static final String CLIENT_PROPERTY_PREFIX = "kafka.";

    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            ConfigOptions.key("bootstrap-servers")
                    .stringType()
                    .defaultValue("localhost:9092")
                    .withDescription("Kafka bootstrap servers, host:port[,host:port...].");
    public static final ConfigOption<String> TOPIC_FRAMES =
            ConfigOptions.key("topic.frames")
                    .stringType()
                    .defaultValue(FrameWire.TOPIC_FRAMES)
                    .withDescription(
                            "Input topic: key = camera id, value = JPEG/PNG, timestamp = capture"
                                    + " time.");
    public static final ConfigOption<String> TOPIC_DETECTIONS =
            ConfigOptions.key("topic.detections")
                    .stringType()
                    .defaultValue(FrameWire.TOPIC_DETECTIONS)
                    .withDescription("Output topic: one JSON object of detections per frame.");
    public static final ConfigOption<String> TOPIC_ANNOTATED =
            ConfigOptions.key("topic.annotated")
                    .stringType()
                    .defaultValue(FrameWire.TOPIC_ANNOTATED)
                    .withDescription("Output topic: JPEG frames with boxes drawn.");
    public static final ConfigOption<String> TOPIC_STATS =
            ConfigOptions.key("topic.stats")
                    .stringType()
                    .defaultValue(FrameWire.TOPIC_STATS)
                    .withDescription("Output topic: one JSON object per camera window.");
    public static final ConfigOption<String> TOPIC_EVENTS =
            ConfigOptions.key("topic.events")
                    .stringType()
                    .defaultValue(FrameWire.TOPIC_EVENTS)
                    .withDescription(
                            "Output topic: line crossings, zone entries and exits, loitering"
                                    + " (docs/events.md).");
    public static final ConfigOption<String> TOPIC_SITES =
            ConfigOptions.key("topic.sites")
                    .stringType()
                    .defaultValue(FrameWire.TOPIC_SITES)
                    .withDescription(
                            "Output topic: per site and window, the line counts and zone occupancy"
                                    + " of its cameras (docs/events.md).");
    public static final ConfigOption<String> TOPIC_DLQ =
            ConfigOptions.key("topic.dlq")
                    .stringType()
                    .defaultValue(FrameWire.TOPIC_DLQ)
                    .withDescription(
                            "Dead-letter topic: records that could not be processed, with the"
                                    + " reason.");
    public static final ConfigOption<String> TOPIC_CONFIG =
            ConfigOptions.key("topic.config")
                    .stringType()
                    .defaultValue(FrameWire.TOPIC_CONFIG)
                    .withDescription(
                            "Per-camera settings topic (compacted; key = camera id or *, value ="
                                    + " JSON document, docs/camera-settings.md), read from the start"
                                    + " and applied while the job runs. Missing: no settings. Not"
                                    + " read by --bounded runs (--camera-config only).");
    public static final ConfigOption<String> TOPIC_FACES =
            ConfigOptions.key("topic.faces")
                    .stringType()
                    .defaultValue(FrameWire.TOPIC_FACES)
                    .withDescription(
                            "Face gallery topic (compacted; key = a person's name, value = a JPEG"
                                    + " photo with exactly one face, no value = forget them;"
                                    + " docs/faces.md), read from the start while the job runs."
                                    + " Read only with --face-embedder; missing: nobody known.");
    public static final ConfigOption<String> GROUP_ID =
            ConfigOptions.key("group-id")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Kafka consumer group id (offsets are committed on checkpoints)."
                                    + " Unset: <job-name>-<topic.frames> in lower case, so two"
                                    + " deployments on one cluster never share committed offsets.");

    private static final List<ConfigOption<String>> TOPICS =
            List.of(
                    TOPIC_FRAMES,
                    TOPIC_DETECTIONS,
                    TOPIC_ANNOTATED,
                    TOPIC_STATS,
                    TOPIC_EVENTS,
                    TOPIC_SITES,
                    TOPIC_DLQ,
                    TOPIC_CONFIG,
                    TOPIC_FACES);

    private KafkaOptions() {}

    @Override
    public String title() {
        return "Kafka";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return List.of(
                BOOTSTRAP_SERVERS,
                TOPIC_FRAMES,
                TOPIC_DETECTIONS,
                TOPIC_ANNOTATED,
                TOPIC_STATS,
                TOPIC_EVENTS,
                TOPIC_SITES,
                TOPIC_DLQ,
                TOPIC_CONFIG,
                TOPIC_FACES,
                GROUP_ID);
    }

    @Override
    public void validate(ReadableConfig config, Problems problems) {
        config.getOptional(GROUP_ID)
                .filter(String::isBlank)
                .ifPresent(g -> problems.add("--group-id is empty: give one unique to this job."));
        problems.check(
                !config.get(BOOTSTRAP_SERVERS).isBlank(),
                "--bootstrap-servers is empty: give the Kafka brokers as host:port.");
        for (ConfigOption<String> topic : TOPICS) {
            String name = config.get(topic);
            problems.check(
                    name.matches("[a-zA-Z0-9._-]{1,249}"),
                    "--" + topic.key() + " '" + name + "' is not a valid Kafka topic name.");
        }
    }
}
