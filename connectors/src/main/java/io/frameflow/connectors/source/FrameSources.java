package io.frameflow.connectors.source;

import java.util.Properties;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The KafkaSource of the {@code frames} topic. It emits a {@link ValidatedRecord} per record (never
 * fails on bad input) with the Kafka record timestamp, the capture time, as the element timestamp;
 * follow it with {@link SplitDeadLetters}.
 */
public final class FrameSources {

    private FrameSources() {}

    public static KafkaSource<ValidatedRecord> kafka(SourceOptions options) {
        options.validate();
        var builder =
                KafkaSource.<ValidatedRecord>builder()
                        .setBootstrapServers(options.bootstrapServers())
                        .setTopics(options.topic())
                        .setGroupId(options.groupId())
                        .setStartingOffsets(options.startingOffsets().toInitializer())
                        .setDeserializer(
                                new FrameDeserializationSchema(
                                        new FrameValidator(
                                                options.maxFrameBytes(),
                                                options.maxPixels(),
                                                options.maxFutureSkewMs())))
                        .setProperties(consumerProperties(options));
        if (options.boundedToLatest()) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /** FrameFlow's consumer defaults, then the options' overrides. */
    public static Properties consumerProperties(SourceOptions options) {
        Properties props = new Properties();
        // Let one fetch carry a whole large frame per partition without extra round trips.
        props.setProperty(
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                String.valueOf(Math.max(1 << 20, options.maxFrameBytes() + 64 * 1024)));
        props.putAll(options.consumerProperties());
        return props;
    }
}
