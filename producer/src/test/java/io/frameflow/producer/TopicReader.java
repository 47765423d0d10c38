package io.frameflow.producer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a whole topic from the beginning with a real consumer. */
public final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();

    public TopicReader(String bootstrapServers, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(16 * 1024 * 1024));
        consumer = new KafkaConsumer<>(p);
        List<TopicPartition> parts = new ArrayList<>();
        consumer.partitionsFor(topic, Duration.ofSeconds(30))
                .forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
    }

    /** Everything read so far plus what arrives until {@code done} holds or the timeout passes. */
    public List<ConsumerRecord<byte[], byte[]>> readUntil(
            Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!done.test(records) && System.nanoTime() < end) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    /** Reads until nothing new arrives for {@code quiet}. */
    public List<ConsumerRecord<byte[], byte[]>> readAll(Duration quiet) {
        long lastNew = System.nanoTime();
        while (System.nanoTime() - lastNew < quiet.toNanos()) {
            var batch = consumer.poll(Duration.ofMillis(200));
            if (!batch.isEmpty()) {
                batch.forEach(records::add);
                lastNew = System.nanoTime();
            }
        }
        return records;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
