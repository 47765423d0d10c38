package io.frameflow.bench;

import io.frameflow.records.AnnotatedFrame;
import io.frameflow.records.json.WireRecords;
import io.frameflow.testkit.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The naive design: one Kafka consumer that polls, then for each frame decodes, infers, draws,
 * encodes and produces, one frame at a time on one thread. Same model, same engine code, and the
 * whole thread budget given to ONNX Runtime's intra-op pool.
 */
final class NaiveBaseline implements SystemUnderTest {

    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;
    final AtomicLong processed = new AtomicLong();

    NaiveBaseline(String bootstrap, Topics topics, Path model, int intraOpThreads) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "naive-" + topics.id());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                EmbeddedKafkaBroker.MAX_MESSAGE_BYTES);
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, EmbeddedKafkaBroker.MAX_MESSAGE_BYTES);
        thread =
                new Thread(
                        () -> {
                            try (Pipeline pipeline = new Pipeline(model, intraOpThreads);
                                    var consumer =
                                            new KafkaConsumer<>(
                                                    c,
                                                    new ByteArrayDeserializer(),
                                                    new ByteArrayDeserializer());
                                    var producer =
                                            new KafkaProducer<>(
                                                    p,
                                                    new ByteArraySerializer(),
                                                    new ByteArraySerializer())) {
                                consumer.subscribe(java.util.List.of(topics.in()));
                                while (running) {
                                    for (ConsumerRecord<byte[], byte[]> r :
                                            consumer.poll(Duration.ofMillis(100))) {
                                        String camera = new String(r.key(), StandardCharsets.UTF_8);
                                        var out =
                                                pipeline.process(
                                                        camera,
                                                        r.offset(),
                                                        r.timestamp(),
                                                        r.value());
                                        producer.send(
                                                WireRecords.annotated(
                                                        topics.annotated(),
                                                        new AnnotatedFrame(
                                                                camera,
                                                                r.offset(),
                                                                r.timestamp(),
                                                                pipeline.model,
                                                                out.annotated())));
                                        processed.incrementAndGet();
                                    }
                                }
                            } catch (Throwable t) {
                                failure = t;
                                t.printStackTrace();
                            }
                        },
                        "naive-baseline");
        thread.start();
    }

    @Override
    public boolean alive() {
        return thread.isAlive() && failure == null;
    }

    @Override
    public void close() throws Exception {
        running = false;
        thread.join(30_000);
    }
}
