package io.frameflow.connectors.sink;

import io.frameflow.records.AnnotatedFrame;
import io.frameflow.records.json.WireRecords;
import org.apache.kafka.clients.producer.ProducerRecord;

/** {@code frames.annotated}: key camera, value JPEG, timestamp capture time, seq and model. */
public final class AnnotatedFrameSerializer extends TopicSerializer<AnnotatedFrame> {

    private static final long serialVersionUID = 1L;

    public AnnotatedFrameSerializer(String topic) {
        super(topic);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            AnnotatedFrame frame, KafkaSinkContext context, Long timestamp) {
        return WireRecords.annotated(topic, frame);
    }
}
