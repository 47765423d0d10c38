package io.frameflow.connectors.sink;

import io.frameflow.records.CameraEvent;
import io.frameflow.records.json.EventsJson;
import io.frameflow.records.json.WireRecords;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code frames.events}: one JSON object per event (docs/events.md), key camera, timestamp the
 * capture time of the frame that decided it.
 */
public final class EventsSerializer extends TopicSerializer<CameraEvent> {

    private static final long serialVersionUID = 1L;

    private transient EventsJson json;

    public EventsSerializer(String topic) {
        super(topic);
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        json = new EventsJson();
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            CameraEvent e, KafkaSinkContext context, Long timestamp) {
        if (json == null) {
            json = new EventsJson();
        }
        return WireRecords.json(topic, e.camera(), e.captureTs(), json.write(e));
    }
}
