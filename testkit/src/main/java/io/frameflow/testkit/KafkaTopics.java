package io.frameflow.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Writes and reads whole topics of raw byte records, for tests and the local demo. */
public final class KafkaTopics {

    private KafkaTopics() {}

    /**
     * Sends the records in order with one idempotent producer and waits for every ack; returns
     * where each landed (same order).
     */
    public static List<RecordMetadata> publish(
            String bootstrapServers, List<ProducerRecord<byte[], byte[]>> records)
            throws ExecutionException, InterruptedException {
        return publish(bootstrapServers, records, Map.of());
    }

    /** As {@link #publish(String, List)}, with extra client properties (security, ...). */
    public static List<RecordMetadata> publish(
            String bootstrapServers,
            List<ProducerRecord<byte[], byte[]>> records,
            Map<String, String> clientProperties)
            throws ExecutionException, InterruptedException {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, EmbeddedKafkaBroker.MAX_MESSAGE_BYTES);
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        // One request at a time: a retry after NOT_LEADER on a fresh topic can then never leave
        // the idempotent producer with out-of-order sequence numbers (seen on a loaded machine).
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try (var producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> r : records) {
                acks.add(producer.send(r));
            }
            producer.flush();
        }
        List<RecordMetadata> out = new ArrayList<>();
        for (Future<RecordMetadata> f : acks) {
            out.add(f.get());
        }
        return out;
    }

    /**
     * Reads {@code topic} from the beginning (all partitions, no consumer group) until at least
     * {@code expected} records arrived, then keeps polling for {@code settle} to catch extras
     * (duplicates), or until {@code timeout}. {@code readCommitted} hides aborted and open
     * transactions, as a downstream consumer of an exactly-once sink would.
     */
    public static List<ConsumerRecord<byte[], byte[]>> read(
            String bootstrapServers,
            String topic,
            int expected,
            Duration timeout,
            Duration settle,
            boolean readCommitted) {
        return read(bootstrapServers, topic, expected, timeout, settle, readCommitted, Map.of());
    }

    /** As {@link #read(String, String, int, Duration, Duration, boolean)}, with client props. */
    public static List<ConsumerRecord<byte[], byte[]>> read(
            String bootstrapServers,
            String topic,
            int expected,
            Duration timeout,
            Duration settle,
            boolean readCommitted,
            Map<String, String> clientProperties) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                readCommitted ? "read_committed" : "read_uncommitted");
        props.put(
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                EmbeddedKafkaBroker.MAX_MESSAGE_BYTES);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (var consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.isEmpty() && System.nanoTime() < deadline) {
                var infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
                if (infos != null) {
                    infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r);
                }
                if (out.size() >= expected && settleUntil == Long.MAX_VALUE) {
                    settleUntil = System.nanoTime() + settle.toNanos();
                }
            }
        }
        return out;
    }

    /**
     * Sum of the end offsets of a topic's partitions: data records plus transaction markers, so it
     * grows with every write, committed or not.
     */
    public static long endOffsets(String bootstrapServers, String topic) {
        try (var consumer =
                new KafkaConsumer<>(
                        Map.<String, Object>of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            var partitions =
                    consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            return consumer.endOffsets(partitions, Duration.ofSeconds(30)).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }
    }
}
