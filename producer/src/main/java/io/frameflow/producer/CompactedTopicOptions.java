package io.frameflow.producer;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The options every command that publishes to a compacted topic shares (a picocli mixin). */
public final class CompactedTopicOptions {

    @Option(
            names = "--create-topic",
            description =
                    "Create the topic (cleanup.policy=compact, 1 partition) when it does not exist.")
    boolean createTopic;

    @Option(names = "--dry-run", description = "Check and print what would be sent; send nothing.")
    boolean dryRun;

    @Option(
            names = "--timeout",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description = "How long to wait for Kafka (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    public boolean dryRun() {
        return dryRun;
    }

    /** Checks the timeout once for the command. */
    public void check(OptionChecks checks) {
        checks.require(!timeout.isNegative() && !timeout.isZero(), "--timeout must be above zero");
    }

    /** The publisher for {@code topic} with these options. */
    public CompactedTopicPublisher publisher(
            KafkaConnectionOptions kafka,
            java.util.Map<String, String> kafkaProps,
            String topic,
            String clientId,
            String contents) {
        return new CompactedTopicPublisher(
                kafka, kafkaProps, topic, timeout, createTopic, clientId, contents);
    }
}
