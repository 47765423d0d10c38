package io.frameflow.connectors;

import io.frameflow.records.wire.FrameWire;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Reads the broker settings FrameFlow's own settings must fit, through the Admin API, once at
 * start-up: what the cluster really enforces, not what a test broker happens to allow.
 */
public final class BrokerSettings {

    /** The broker's default, should the broker not report it. */
    static final long DEFAULT_TRANSACTION_MAX_TIMEOUT_MS = 15 * 60 * 1000L;

    private final Map<String, String> values;
    private final Map<String, Map<String, String>> topics;

    BrokerSettings(Map<String, String> values, Map<String, Map<String, String>> topics) {
        this.values = Map.copyOf(values);
        this.topics = Map.copyOf(topics);
    }

    /**
     * The settings of one broker of the cluster and of those of {@code topics} that exist, or empty
     * when the cluster cannot be asked within {@code timeout} (the caller then decides whether to
     * go on).
     */
    public static Optional<BrokerSettings> read(
            String bootstrapServers,
            Map<String, String> clientProps,
            Duration timeout,
            String... topics) {
        Map<String, Object> props = new HashMap<>(clientProps);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (Admin admin = Admin.create(props)) {
            Collection<Node> nodes =
                    admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (nodes.isEmpty()) {
                return Optional.empty();
            }
            ConfigResource broker =
                    new ConfigResource(
                            ConfigResource.Type.BROKER, nodes.iterator().next().idString());
            Config config =
                    admin.describeConfigs(List.of(broker))
                            .all()
                            .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                            .get(broker);
            Map<String, Map<String, String>> topicValues = new HashMap<>();
            Set<String> existing =
                    admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            for (String topic : topics) {
                if (existing.contains(topic)) {
                    ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                    topicValues.put(
                            topic,
                            values(
                                    admin.describeConfigs(List.of(r))
                                            .all()
                                            .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                                            .get(r)));
                }
            }
            return Optional.of(new BrokerSettings(values(config), topicValues));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static Map<String, String> values(Config config) {
        Map<String, String> values = new HashMap<>();
        for (ConfigEntry e : config.entries()) {
            if (e.value() != null) {
                values.put(e.name(), e.value());
            }
        }
        return values;
    }

    /**
     * The largest record batch {@code topic} accepts: its {@code max.message.bytes}, else (a topic
     * that does not exist yet) the broker's {@code message.max.bytes}, else Kafka's stock default.
     */
    public int maxMessageBytes(String topic) {
        String value =
                Optional.ofNullable(topics.get(topic))
                        .map(t -> t.get("max.message.bytes"))
                        .orElse(values.get("message.max.bytes"));
        return value == null ? FrameWire.KAFKA_DEFAULT_MAX_MESSAGE_BYTES : Integer.parseInt(value);
    }

    /** {@code transaction.max.timeout.ms}: the longest transaction timeout the broker accepts. */
    public Duration transactionMaxTimeout() {
        return Duration.ofMillis(
                Optional.ofNullable(values.get("transaction.max.timeout.ms"))
                        .map(Long::parseLong)
                        .orElse(DEFAULT_TRANSACTION_MAX_TIMEOUT_MS));
    }
}
