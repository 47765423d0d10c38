package io.frameflow.connectors.sink;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * Where and how one Kafka sink writes. Plain values: the job maps its ConfigOptions onto them.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param topic the output topic
 * @param guarantee NONE, AT_LEAST_ONCE (flush on checkpoint) or EXACTLY_ONCE (transactions,
 *     committed on checkpoint; readers need isolation.level=read_committed)
 * @param transactionalIdPrefix required for EXACTLY_ONCE and unique per job on the cluster; the
 *     sink appends its topic, so several sinks of one job can share it
 * @param producerProperties extra Kafka producer properties, overriding the defaults of {@link
 *     FrameSinks}
 */
public record SinkOptions(
        String bootstrapServers,
        String topic,
        DeliveryGuarantee guarantee,
        String transactionalIdPrefix,
        Map<String, String> producerProperties) {

    public SinkOptions {
        producerProperties = producerProperties == null ? Map.of() : Map.copyOf(producerProperties);
    }

    public static SinkOptions atLeastOnce(String bootstrapServers, String topic) {
        return new SinkOptions(
                bootstrapServers, topic, DeliveryGuarantee.AT_LEAST_ONCE, null, Map.of());
    }

    public static SinkOptions exactlyOnce(
            String bootstrapServers, String topic, String transactionalIdPrefix) {
        return new SinkOptions(
                bootstrapServers,
                topic,
                DeliveryGuarantee.EXACTLY_ONCE,
                transactionalIdPrefix,
                Map.of());
    }

    /** The same sink writing to another topic (one options object per job, one topic per sink). */
    public SinkOptions withTopic(String otherTopic) {
        return new SinkOptions(
                bootstrapServers, otherTopic, guarantee, transactionalIdPrefix, producerProperties);
    }

    public SinkOptions withProducerProperty(String key, String value) {
        Map<String, String> props = new HashMap<>(producerProperties);
        props.put(key, value);
        return new SinkOptions(bootstrapServers, topic, guarantee, transactionalIdPrefix, props);
    }

    /** Fails with a message that says what to fix. */
    public SinkOptions validate() {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("Kafka sink: bootstrap servers are required");
        }
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("Kafka sink: a topic is required");
        }
        Objects.requireNonNull(guarantee, "Kafka sink: delivery guarantee is required");
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE
                && (transactionalIdPrefix == null || transactionalIdPrefix.isBlank())) {
            throw new IllegalArgumentException(
                    "Kafka sink for topic "
                            + topic
                            + ": EXACTLY_ONCE needs a transactional id prefix unique to this job"
                            + " (e.g. the job name); or use AT_LEAST_ONCE");
        }
        String timeout = producerProperties.get("transaction.timeout.ms");
        if (timeout != null) {
            try {
                Long.parseLong(timeout.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "Kafka sink: transaction.timeout.ms '" + timeout + "' is not a number");
            }
        }
        return this;
    }
}
