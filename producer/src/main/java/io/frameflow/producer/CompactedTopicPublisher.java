package io.frameflow.producer;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes keyed records to a compacted topic (the settings topic, the face gallery): checks the
 * topic exists (creating it compacted when asked, warning when it is not compacted; a missing topic
 * is not left to broker auto-creation, which would not compact it), sends with acks=all and
 * idempotence, and prints each record's place once acknowledged.
 */
public final class CompactedTopicPublisher {

    /** One record: {@code value} null is a tombstone; {@code shown} is how it is printed. */
    public record Publication(String key, byte[] value, String shown) {}

    private final KafkaConnectionOptions kafka;
    private final Map<String, String> kafkaProps;
    private final String topic;
    private final Duration timeout;
    private final boolean createTopic;
    private final String clientId;
    private final String contents;

    /**
     * @param contents what the topic holds, for messages ("settings", "photos")
     */
    public CompactedTopicPublisher(
            KafkaConnectionOptions kafka,
            Map<String, String> kafkaProps,
            String topic,
            Duration timeout,
            boolean createTopic,
            String clientId,
            String contents) {
        this.kafka = kafka;
        this.kafkaProps = kafkaProps;
        this.topic = topic;
        this.timeout = timeout;
        this.createTopic = createTopic;
        this.clientId = clientId;
        this.contents = contents;
    }

    /**
     * Whether the topic exists (created with --create-topic); warns when it is not compacted. A
     * missing topic is not left to broker auto-creation, which would not compact it.
     */
    public boolean topicReady(PrintWriter err) {
        Properties p = new Properties();
        p.putAll(kafkaProps);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, clientId + "-admin");
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        p.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(ms));
        p.putIfAbsent(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.min(ms, 30_000)));
        try (Admin admin = Admin.create(p)) {
            boolean exists;
            try {
                admin.describeTopics(List.of(topic)).allTopicNames().get(ms, TimeUnit.MILLISECONDS);
                exists = true;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    exists = false;
                } else if (e.getCause() instanceof TopicAuthorizationException) {
                    err.println(
                            "Warning: not allowed to describe topic "
                                    + topic
                                    + "; publishing without checking it");
                    return true;
                } else {
                    throw e;
                }
            }
            if (!exists) {
                if (!createTopic) {
                    err.println(
                            "Topic "
                                    + topic
                                    + " does not exist at "
                                    + kafka.bootstrapServers()
                                    + ". Create it compacted: add --create-topic, or kafka-topics.sh"
                                    + " --create --topic "
                                    + topic
                                    + " --partitions 1 --config cleanup.policy=compact");
                    return false;
                }
                create(admin, ms, err);
                return true;
            }
            warnUnlessCompacted(admin, ms, err);
            return true;
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            err.println(
                    "Cannot check topic "
                            + topic
                            + " at "
                            + kafka.bootstrapServers()
                            + ": "
                            + cause
                            + " (check --bootstrap-servers and --kafka.* security settings)");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void create(Admin admin, int ms, PrintWriter err)
            throws ExecutionException, TimeoutException, InterruptedException {
        NewTopic t =
                new NewTopic(topic, Optional.of(1), Optional.empty())
                        .configs(
                                Map.of(
                                        TopicConfig.CLEANUP_POLICY_CONFIG,
                                        TopicConfig.CLEANUP_POLICY_COMPACT));
        try {
            admin.createTopics(List.of(t)).all().get(ms, TimeUnit.MILLISECONDS);
            err.println("Created topic " + topic + " (cleanup.policy=compact, 1 partition)");
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private void warnUnlessCompacted(Admin admin, int ms, PrintWriter err)
            throws InterruptedException {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            Config c =
                    admin.describeConfigs(List.of(r)).all().get(ms, TimeUnit.MILLISECONDS).get(r);
            ConfigEntry policy = c == null ? null : c.get(TopicConfig.CLEANUP_POLICY_CONFIG);
            if (policy != null && !policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                err.println(
                        "Warning: topic "
                                + topic
                                + " has cleanup.policy="
                                + policy.value()
                                + ": "
                                + contents
                                + " are deleted after its retention time. Make it"
                                + " compacted (cleanup.policy=compact).");
            }
        } catch (ExecutionException | TimeoutException e) {
            err.println("Warning: cannot read the configuration of topic " + topic + ": " + e);
        }
    }

    /**
     * Sends the records, waits for each acknowledgement and prints what was published.
     *
     * @return 0 when every record was acknowledged, else 1
     */
    public int publish(List<Publication> plan, PrintWriter out, PrintWriter err) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(plan.size());
        int failed = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties())) {
            for (Publication p : plan) {
                sent.add(
                        producer.send(
                                new ProducerRecord<>(
                                        topic,
                                        p.key().getBytes(StandardCharsets.UTF_8),
                                        p.value())));
            }
            producer.flush();
            for (int i = 0; i < plan.size(); i++) {
                Publication p = plan.get(i);
                try {
                    RecordMetadata m = sent.get(i).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    out.println(
                            (p.value() == null ? "deleted " : "published ")
                                    + p.shown()
                                    + " -> "
                                    + m.topic()
                                    + "-"
                                    + m.partition()
                                    + "@"
                                    + m.offset());
                } catch (ExecutionException | TimeoutException e) {
                    Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                    err.println("Failed to publish " + p.key() + ": " + cause);
                    failed++;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    err.println("Interrupted before " + p.key() + " was acknowledged");
                    return 1;
                }
            }
        } catch (KafkaException e) {
            err.println("Cannot publish to " + topic + ": " + e);
            return 1;
        }
        return failed == 0 ? 0 : 1;
    }

    /** Idempotent, acks=all, no linger; timeouts from the command's; --kafka.* properties win. */
    public Properties producerProperties() {
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        int request = Math.min(ms, 30_000);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(request));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(ms, request)));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(ms));
        p.putAll(kafkaProps);
        return p;
    }
}
