package io.frameflow.viewer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes the zone editor's settings documents to the settings topic, keyed by camera, and waits for
 * the broker's acknowledgement so the page can say "saved" only when the job can read it. Created
 * only when editing is on (the viewer has a token).
 */
final class SettingsPublisher implements AutoCloseable {

    private static final long ACK_TIMEOUT_MS = 10_000;

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    SettingsPublisher(ViewerOptions options) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "frameflow-viewer-settings");
        // security and connection settings given for the consumer apply to this producer too;
        // consumer-only properties would only be logged as unknown, so they are left out
        options.kafka()
                .forEach(
                        (k, v) -> {
                            if (!k.startsWith("isolation.")
                                    && !k.startsWith("auto.")
                                    && !k.startsWith("fetch.")
                                    && !k.startsWith("max.partition.")
                                    && !k.startsWith("max.poll.")
                                    && !k.startsWith("group.")) {
                                props.put(k, v);
                            }
                        });
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(ACK_TIMEOUT_MS));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        this.producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = options.configTopic();
    }

    /**
     * Publishes {@code document} as {@code camera}'s settings.
     *
     * @return the record's offset
     * @throws SettingsNotPublishedException when the broker did not take it in time
     */
    long publish(String camera, byte[] document) {
        try {
            RecordMetadata meta =
                    producer.send(
                                    new ProducerRecord<>(
                                            topic,
                                            camera.getBytes(StandardCharsets.UTF_8),
                                            document))
                            .get(ACK_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return meta.offset();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new SettingsNotPublishedException(
                    "Kafka did not take the settings for topic "
                            + topic
                            + ": "
                            + cause.getMessage(),
                    cause);
        } catch (TimeoutException e) {
            throw new SettingsNotPublishedException(
                    "Kafka did not acknowledge the settings within "
                            + ACK_TIMEOUT_MS / 1000
                            + " s (is the broker reachable and does topic "
                            + topic
                            + " exist?)",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SettingsNotPublishedException("interrupted while publishing", e);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new SettingsNotPublishedException(
                    "Kafka refused the settings: " + e.getMessage(), e);
        }
    }

    /** Publishing failed; the message says why, for the page. */
    static final class SettingsNotPublishedException extends RuntimeException {
        SettingsNotPublishedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(2));
    }
}
