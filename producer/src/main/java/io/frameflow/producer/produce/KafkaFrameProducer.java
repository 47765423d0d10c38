package io.frameflow.producer.produce;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Kafka producer settings tuned for JPEG frames; user properties are applied last. */
public final class KafkaFrameProducer {

    /** Room for a large frame plus headers; the topic's max.message.bytes must allow it too. */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 16 * 1024 * 1024;

    private KafkaFrameProducer() {}

    /**
     * @param bootstrapServers host:port list
     * @param lingerMs how long to wait to fill a batch
     * @param batchBytes batch size per partition
     * @param clientProperties any other client property (--kafka.*), overriding the defaults
     */
    public static Properties properties(
            String bootstrapServers,
            int lingerMs,
            int batchBytes,
            Map<String, String> clientProperties) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "frameflow-producer");
        // JPEG does not compress further; compressing would only cost CPU on the edge box
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(DEFAULT_MAX_REQUEST_BYTES));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(4L * DEFAULT_MAX_REQUEST_BYTES));
        p.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(lingerMs));
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(batchBytes));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        // A broker outage must not stall the grab thread. With Kafka's default "rebootstrap" the
        // client forgets its metadata once no known broker answers (with one broker: at every
        // outage) and send() then blocks until the broker is back (up to max.block.ms): a live
        // source is not read meanwhile and its backlog is stamped late. With "none" send() keeps
        // returning at once; frames wait in buffer.memory and are delivered when the broker is
        // back on its address, or expire after delivery.timeout.ms and are counted as not
        // published (ProducerBrokerRestartITCase measures both). Brokers that come back on new
        // addresses need --kafka.metadata.recovery.strategy=rebootstrap.
        p.put(CommonClientConfigs.METADATA_RECOVERY_STRATEGY_CONFIG, "none");
        p.putAll(clientProperties);
        return p;
    }
}
