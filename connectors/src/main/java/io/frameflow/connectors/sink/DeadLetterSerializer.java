package io.frameflow.connectors.sink;

import io.frameflow.records.DeadLetter;
import io.frameflow.records.json.WireRecords;
import org.apache.kafka.clients.producer.ProducerRecord;

/** {@code frames.dlq}: the original key and bytes with the reason and provenance headers. */
public final class DeadLetterSerializer extends TopicSerializer<DeadLetter> {

    private static final long serialVersionUID = 1L;

    public DeadLetterSerializer(String topic) {
        super(topic);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            DeadLetter letter, KafkaSinkContext context, Long timestamp) {
        return WireRecords.deadLetter(topic, letter);
    }
}
