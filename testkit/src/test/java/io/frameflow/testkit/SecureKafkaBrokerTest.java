package io.frameflow.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SecureKafkaBrokerTest {

    private static SecureKafkaBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = SecureKafkaBroker.start("frameflow");
        broker.createTopics(1, "secure-t");
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
    }

    @Test
    void theRightUserPublishesAndReadsBackOverTlsAndScram() throws Exception {
        Map<String, Object> props = new HashMap<>(broker.clientProperties());
        props.put("bootstrap.servers", broker.bootstrapServers());
        try (var producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("secure-t", "cam", "hello")).get();
        }
        var back =
                KafkaTopics.read(
                        broker.bootstrapServers(),
                        "secure-t",
                        1,
                        Duration.ofSeconds(30),
                        Duration.ofMillis(200),
                        false,
                        broker.clientProperties());
        assertThat(back).hasSize(1);
        assertThat(new String(back.get(0).value())).isEqualTo("hello");
    }

    @Test
    void aWrongPasswordFailsFastWithAClearMessage() {
        Map<String, Object> props =
                new HashMap<>(broker.clientProperties(broker.user(), "not-the-password"));
        props.put("bootstrap.servers", broker.bootstrapServers());
        props.put("max.block.ms", 60_000);
        long t0 = System.nanoTime();
        try (var producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            assertThatThrownBy(
                            () -> producer.send(new ProducerRecord<>("secure-t", "c", "x")).get())
                    .satisfiesAnyOf(
                            e -> assertThat(e).isInstanceOf(SaslAuthenticationException.class),
                            e ->
                                    assertThat(e)
                                            .isInstanceOf(ExecutionException.class)
                                            .hasCauseInstanceOf(SaslAuthenticationException.class))
                    .hasMessageContaining("invalid credentials")
                    .hasMessageContaining("SCRAM-SHA-512");
        }
        // far below max.block.ms: authentication errors are not retried
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void aPlaintextClientIsNotServed() {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", broker.bootstrapServers());
        props.put("max.block.ms", 3_000);
        try (var producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            assertThatThrownBy(() -> producer.partitionsFor("secure-t"))
                    .hasMessageContaining("3000 ms");
        }
        assertThat(List.of(broker.bootstrapServers())).allMatch(s -> s.startsWith("localhost:"));
    }
}
