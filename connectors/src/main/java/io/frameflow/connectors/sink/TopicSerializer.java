package io.frameflow.connectors.sink;

import java.util.Objects;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;

/** Base of the sink serializers: each writes one element type to one topic. */
abstract class TopicSerializer<T> implements KafkaRecordSerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    protected final String topic;

    TopicSerializer(String topic) {
        this.topic = Objects.requireNonNull(topic, "topic");
    }

    public String topic() {
        return topic;
    }
}
