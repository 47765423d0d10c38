package io.frameflow.connectors.sink;

import io.frameflow.records.DeadLetter;
import io.frameflow.records.json.WireRecords;
import io.frameflow.records.wire.FrameWire;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code frames.dlq}: the original key and bytes with the reason and provenance headers, cut to
 * what the topic accepts ({@link WireRecords#deadLetter(String, DeadLetter, int)}).
 */
public final class DeadLetterSerializer extends TopicSerializer<DeadLetter> {

    private static final long serialVersionUID = 1L;

    private final int maxRecordBytes;

    /**
     * Cut only to the largest record FrameFlow's producers send ({@link
     * FrameWire#MAX_RECORD_BYTES}).
     */
    public DeadLetterSerializer(String topic) {
        this(topic, FrameWire.MAX_RECORD_BYTES);
    }

    /**
     * @param maxRecordBytes the largest record the topic and the producer accept
     */
    public DeadLetterSerializer(String topic, int maxRecordBytes) {
        super(topic);
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            DeadLetter letter, KafkaSinkContext context, Long timestamp) {
        return WireRecords.deadLetter(topic, letter, maxRecordBytes);
    }
}
