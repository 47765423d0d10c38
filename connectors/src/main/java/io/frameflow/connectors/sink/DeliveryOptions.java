package io.frameflow.connectors.sink;

import io.frameflow.connectors.KafkaOptions;
import io.frameflow.operators.config.OptionGroup;
import io.frameflow.operators.config.Problems;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.kafka.common.utils.AppInfoParser;

/**
 * The delivery guarantee of each output and the Kafka transactions behind exactly-once. Dead
 * letters are always at-least-once: a duplicate dead letter is harmless, a lost one is not.
 */
public final class DeliveryOptions implements OptionGroup {

    public static final DeliveryOptions GROUP = new DeliveryOptions();

    private static final String AUTO = "auto";
    private static final String AT_LEAST_ONCE = "at-least-once";
    private static final String EXACTLY_ONCE = "exactly-once";

    public static final ConfigOption<String> DELIVERY =
            ConfigOptions.key("delivery")
                    .stringType()
                    .defaultValue(AUTO)
                    .withDescription(
                            "Delivery guarantee of frames.detections, frames.stats, frames.events and frames.sites:"
                                    + " exactly-once (transactional, committed on checkpoints),"
                                    + " at-least-once, or auto = exactly-once where the Kafka client"
                                    + " supports it (kafka-clients 4.3 does not run"
                                    + " flink-connector-kafka 5.0's transactions), else at-least-once"
                                    + " with a warning.");
    public static final ConfigOption<String> ANNOTATED_DELIVERY =
            ConfigOptions.key("annotated-delivery")
                    .stringType()
                    .defaultValue(AT_LEAST_ONCE)
                    .withDescription(
                            "Delivery guarantee of frames.annotated: at-least-once or"
                                    + " exactly-once.");
    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
            ConfigOptions.key("transactional-id-prefix")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Prefix of the Kafka transactional ids of the exactly-once sinks; must"
                                    + " be unique per job on a cluster (two jobs with one prefix"
                                    + " fence each other's transactions). Unset: the group id.");
    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT =
            ConfigOptions.key("transaction-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "Kafka transaction timeout of the exactly-once sinks; keep it well"
                                    + " above checkpoint interval + restart time and at most the"
                                    + " broker's transaction.max.timeout.ms (15 min by default).");

    private DeliveryOptions() {}

    @Override
    public String title() {
        return "Delivery";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return List.of(DELIVERY, ANNOTATED_DELIVERY, TRANSACTIONAL_ID_PREFIX, TRANSACTION_TIMEOUT);
    }

    @Override
    public void validate(ReadableConfig config, Problems problems) {
        String annotated = lower(config, ANNOTATED_DELIVERY);
        String results = lower(config, DELIVERY);
        problems.check(
                List.of(AT_LEAST_ONCE, EXACTLY_ONCE).contains(annotated),
                "--annotated-delivery must be at-least-once or exactly-once.");
        problems.check(
                List.of(AUTO, AT_LEAST_ONCE, EXACTLY_ONCE).contains(results),
                "--delivery must be auto, at-least-once or exactly-once.");
        boolean exactlyOnceAsked = results.equals(EXACTLY_ONCE) || annotated.equals(EXACTLY_ONCE);
        problems.check(
                !exactlyOnceAsked || ExactlyOnceSupport.available(),
                "exactly-once delivery was asked for, but kafka-clients "
                        + AppInfoParser.getVersion()
                        + " on this classpath cannot run flink-connector-kafka 5.0.0-2.2's "
                        + "transactions (it lacks TransactionalRequestResult.await()). Use "
                        + "--delivery at-least-once (or auto) and --annotated-delivery "
                        + "at-least-once, or build the job with kafka-clients 4.2.x.");
        config.getOptional(TRANSACTIONAL_ID_PREFIX)
                .filter(String::isBlank)
                .ifPresent(
                        p ->
                                problems.add(
                                        "--transactional-id-prefix is empty: give a prefix unique"
                                                + " to this job."));
    }

    /** Whether detections and stats go through transactional (exactly-once) sinks. */
    public static boolean resultsExactlyOnce(ReadableConfig config) {
        String d = lower(config, DELIVERY);
        return d.equals(EXACTLY_ONCE) || (d.equals(AUTO) && ExactlyOnceSupport.available());
    }

    /** Whether {@code --delivery auto} fell back to at-least-once on this classpath. */
    public static boolean autoFellBack(ReadableConfig config) {
        return lower(config, DELIVERY).equals(AUTO) && !ExactlyOnceSupport.available();
    }

    public static boolean annotatedExactlyOnce(ReadableConfig config) {
        return lower(config, ANNOTATED_DELIVERY).equals(EXACTLY_ONCE);
    }

    /**
     * One sink's settings: the topic {@code topic} names, with {@code guarantee}, the client
     * properties, and for exactly-once the transactional id prefix and transaction timeout.
     */
    public static SinkOptions sink(
            ReadableConfig config,
            ConfigOption<String> topic,
            DeliveryGuarantee guarantee,
            Map<String, String> clientProps) {
        Map<String, String> props = new HashMap<>(clientProps);
        boolean exactlyOnce = guarantee == DeliveryGuarantee.EXACTLY_ONCE;
        if (exactlyOnce) {
            props.putIfAbsent(
                    "transaction.timeout.ms",
                    String.valueOf(config.get(TRANSACTION_TIMEOUT).toMillis()));
        }
        return new SinkOptions(
                config.get(KafkaOptions.BOOTSTRAP_SERVERS),
                config.get(topic),
                guarantee,
                exactlyOnce ? config.get(TRANSACTIONAL_ID_PREFIX) : null,
                props);
    }

    private static String lower(ReadableConfig config, ConfigOption<String> option) {
        return config.get(option).toLowerCase(Locale.ROOT);
    }
}
