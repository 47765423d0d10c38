package io.frameflow.connectors;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    BrokerSettings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /**
     * The settings of one broker of the cluster, or empty when the cluster cannot be asked within
     * {@code timeout} (the caller then decides whether to go on).
     */
    public static Optional<BrokerSettings> read(
            String bootstrapServers, Map<String, String> clientProps, Duration timeout) {
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
            Map<String, String> values = new HashMap<>();
            for (ConfigEntry e : config.entries()) {
                if (e.value() != null) {
                    values.put(e.name(), e.value());
                }
            }
            return Optional.of(new BrokerSettings(values));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** {@code transaction.max.timeout.ms}: the longest transaction timeout the broker accepts. */
    public Duration transactionMaxTimeout() {
        return Duration.ofMillis(
                Optional.ofNullable(values.get("transaction.max.timeout.ms"))
                        .map(Long::parseLong)
                        .orElse(DEFAULT_TRANSACTION_MAX_TIMEOUT_MS));
    }
}
