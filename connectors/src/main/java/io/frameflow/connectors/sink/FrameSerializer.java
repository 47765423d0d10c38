package io.frameflow.connectors.sink;

import io.frameflow.records.Frame;
import io.frameflow.records.json.WireRecords;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Frames in the input wire format: re-publishing, replays, the pass-through job. */
public final class FrameSerializer extends TopicSerializer<Frame> {

    private static final long serialVersionUID = 1L;

    public FrameSerializer(String topic) {
        super(topic);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            Frame frame, KafkaSinkContext context, Long timestamp) {
        return WireRecords.frame(topic, frame);
    }
}
