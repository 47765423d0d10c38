package io.frameflow.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.testkit.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, fault 8: {@code frames.stats} is written exactly-once, in Kafka transactions; a window
 * of an aborted transaction (a checkpoint that failed; the restored job writes it again) must not
 * show. The viewer read the topic {@code read_uncommitted} and showed it.
 */
class AbortedWindowsITCase {

    private static KafkaProducer<byte[], byte[]> transactional(String bootstrap) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "aborted-windows-" + UUID.randomUUID());
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static ProducerRecord<byte[], byte[]> window(String topic, long windowEnd) {
        return new ProducerRecord<>(
                topic,
                "tx".getBytes(StandardCharsets.UTF_8),
                TestCameras.statsJson("tx", windowEnd, 10, 1.5, 2, 80, null)
                        .getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void windowsOfAbortedTransactionsAreNotShown() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.shared();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String annotated = "aborted-annotated-" + run;
        String stats = "aborted-stats-" + run;
        try (Viewer viewer =
                Viewer.start(
                        ViewerOptions.defaults(broker.bootstrapServers())
                                .withPort(0)
                                .withTopics(annotated, stats))) {
            // created after start: the viewer follows them from their first record
            broker.createTopics(1, annotated, stats);
            try (KafkaProducer<byte[], byte[]> producer =
                    transactional(broker.bootstrapServers())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(window(stats, 20_000)).get();
                producer.abortTransaction();
                producer.beginTransaction();
                producer.send(window(stats, 10_000)).get();
                producer.commitTransaction();
            }
            long deadline = System.currentTimeMillis() + 20_000;
            while (viewer.cameras().get("tx").map(c -> c.latestStats() == null).orElse(true)) {
                assertThat(System.currentTimeMillis())
                        .as("the committed window (%s)", viewer.status())
                        .isLessThan(deadline);
                Thread.sleep(100);
            }
            // the aborted window is newer: shown, it would stay the latest
            Thread.sleep(1000);
            assertThat(viewer.cameras().get("tx").get().latestStats().windowEnd())
                    .isEqualTo(10_000);
        }
    }
}
