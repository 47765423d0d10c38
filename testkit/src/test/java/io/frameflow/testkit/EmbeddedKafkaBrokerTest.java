package io.frameflow.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaBrokerTest {

    @Test
    void producesAndConsumesThroughARealBroker() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.shared();
        broker.createTopics(1, "testkit-roundtrip");
        try (var producer =
                new KafkaProducer<String, String>(
                        Map.of("bootstrap.servers", broker.bootstrapServers()),
                        new StringSerializer(),
                        new StringSerializer())) {
            producer.send(new ProducerRecord<>("testkit-roundtrip", "cam-1", "hello")).get();
        }
        try (var consumer =
                new KafkaConsumer<String, String>(
                        Map.of(
                                "bootstrap.servers",
                                broker.bootstrapServers(),
                                "group.id",
                                "testkit",
                                "auto.offset.reset",
                                "earliest"),
                        new StringDeserializer(),
                        new StringDeserializer())) {
            consumer.subscribe(List.of("testkit-roundtrip"));
            ConsumerRecord<String, String> got = null;
            long deadline = System.currentTimeMillis() + 30_000;
            while (got == null && System.currentTimeMillis() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    got = r;
                }
            }
            assertThat(got).isNotNull();
            assertThat(got.key()).isEqualTo("cam-1");
            assertThat(got.value()).isEqualTo("hello");
        }
    }

    @Test
    void findsTheSharedModelsAndMedia() {
        assertThat(SharedResources.model("yolox_nano.onnx")).isRegularFile();
        assertThat(SharedResources.media("frames")).isDirectory();
    }
}
