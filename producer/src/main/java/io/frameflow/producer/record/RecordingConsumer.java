package io.frameflow.producer.record;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The Kafka consumer of {@code record}: committed records only, every partition of the topics it
 * includes, positioned at {@code --from}; in a bounded run it knows the end offsets present at the
 * start and where it stands against them.
 */
final class RecordingConsumer implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(500);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private Map<TopicPartition, Long> end = Map.of();
    private boolean bounded;

    /**
     * @param clientProperties any other client property (--kafka.*), overriding the defaults
     */
    RecordingConsumer(String bootstrapServers, Map<String, String> clientProperties) {
        consumer = new KafkaConsumer<>(properties(bootstrapServers, clientProperties));
    }

    static Properties properties(String bootstrapServers, Map<String, String> clientProperties) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "frameflow-record");
        // the job writes with exactly-once; only committed frames belong in a recording
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(16 * 1024 * 1024));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(64 * 1024 * 1024));
        p.putAll(clientProperties);
        return p;
    }

    /**
     * Adds every partition of {@code topic} to what {@link #start} assigns.
     *
     * @return false when the topic does not exist
     */
    boolean include(String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            return false;
        }
        for (PartitionInfo p : infos) {
            partitions.add(new TopicPartition(p.topic(), p.partition()));
        }
        return true;
    }

    /**
     * Assigns the included partitions and seeks them.
     *
     * @param fromMillis the first record time to read, or null for the beginning (or the end)
     * @param fromLatest with no {@code fromMillis}: start at the end instead of the beginning
     * @param bounded stop at the end offsets present now
     */
    void start(Long fromMillis, boolean fromLatest, boolean bounded) {
        consumer.assign(partitions);
        if (fromMillis == null) {
            if (fromLatest) {
                consumer.seekToEnd(partitions);
            } else {
                consumer.seekToBeginning(partitions);
            }
        } else {
            seekToTime(fromMillis);
        }
        this.bounded = bounded;
        end = bounded ? consumer.endOffsets(partitions) : Map.of();
    }

    /** Each partition at its first record at or after {@code millis}; at its end if none. */
    private void seekToTime(long millis) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, millis));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
        List<TopicPartition> none = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp o = found.get(tp);
            if (o == null) {
                none.add(tp);
            } else {
                consumer.seek(tp, o.offset());
            }
        }
        consumer.seekToEnd(none);
    }

    ConsumerRecords<byte[], byte[]> poll() {
        return consumer.poll(POLL);
    }

    /** A bounded run that has read up to the end offsets of every partition. */
    boolean reachedEnd() {
        if (!bounded) {
            return false;
        }
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** A record a bounded run does not take: written after the run started. */
    boolean pastEnd(ConsumerRecord<byte[], byte[]> r) {
        return r.offset()
                >= end.getOrDefault(new TopicPartition(r.topic(), r.partition()), Long.MAX_VALUE);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
