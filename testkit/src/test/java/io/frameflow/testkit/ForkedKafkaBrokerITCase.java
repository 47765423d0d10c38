package io.frameflow.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The forked broker keeps its address and its data across a SIGKILL and a graceful stop: records
 * and committed transactions written before are read back after each restart, and clients of the
 * same bootstrap address keep working.
 */
class ForkedKafkaBrokerITCase {

    private static List<ProducerRecord<byte[], byte[]>> records(String topic, int from, int n) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            out.add(
                    new ProducerRecord<>(
                            topic,
                            ("k" + i % 3).getBytes(StandardCharsets.UTF_8),
                            ("v" + i).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static List<String> values(String bootstrap, String topic, int expected) {
        List<String> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                KafkaTopics.read(
                        bootstrap,
                        topic,
                        expected,
                        Duration.ofSeconds(60),
                        Duration.ofMillis(500),
                        true)) {
            out.add(new String(r.value(), StandardCharsets.UTF_8));
        }
        out.sort(null);
        return out;
    }

    private static List<String> expectedValues(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("v" + i);
        }
        out.sort(null);
        return out;
    }

    /** One committed and one aborted transaction: the transaction log must survive too. */
    private static void transactions(String bootstrap, String topic, String value)
            throws Exception {
        Map<String, Object> props =
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        "forked-it-" + topic);
        try (var producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, ("aborted-" + value).getBytes()));
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, value.getBytes()));
            producer.commitTransaction();
        }
    }

    @Test
    void keepsAddressAndDataAcrossKillAndStop() throws Exception {
        try (ForkedKafkaBroker broker = ForkedKafkaBroker.start()) {
            String bootstrap = broker.bootstrapServers();
            assertThat(broker.isRunning()).isTrue();
            assertThat(Files.readString(broker.directory().resolve("server.properties")))
                    .contains("transaction.state.log.min.isr=1")
                    .contains("message.max.bytes=" + EmbeddedKafkaBroker.MAX_MESSAGE_BYTES);
            broker.createTopics(2, "forked-data", "forked-tx");
            KafkaTopics.publish(bootstrap, records("forked-data", 0, 100));
            transactions(bootstrap, "forked-tx", "t1");

            long firstPid = broker.pid();
            broker.kill();
            assertThat(broker.isRunning()).isFalse();
            // nothing answers on the address while it is down
            try (var admin = broker.admin()) {
                assertThatThrownBy(
                                () ->
                                        admin.describeCluster(
                                                        new DescribeClusterOptions()
                                                                .timeoutMs(3_000))
                                                .nodes()
                                                .get(20, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
            }
            broker.restart();
            assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);
            assertThat(broker.pid()).isNotEqualTo(firstPid);
            assertThat(values(bootstrap, "forked-data", 100)).isEqualTo(expectedValues(100));
            assertThat(values(bootstrap, "forked-tx", 1)).containsExactly("t1");

            KafkaTopics.publish(bootstrap, records("forked-data", 100, 50));
            transactions(bootstrap, "forked-tx", "t2");
            broker.stop();
            assertThat(broker.isRunning()).isFalse();
            broker.restart();
            assertThat(broker.starts()).isEqualTo(3);
            assertThat(values(bootstrap, "forked-data", 150)).isEqualTo(expectedValues(150));
            assertThat(values(bootstrap, "forked-tx", 2)).containsExactly("t1", "t2");
            assertThat(Files.readString(broker.logFile())).contains("==== start #3 ====");
        }
    }
}
