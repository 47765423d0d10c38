package io.frameflow.connectors.sink;

import io.frameflow.records.FrameDetections;
import io.frameflow.records.json.DetectionsJson;
import io.frameflow.records.json.EmitClock;
import io.frameflow.records.json.WireRecords;
import java.util.Objects;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code frames.detections}: one JSON object per frame, key camera, timestamp capture time;
 * latencyMs is taken from {@code clock} as the record is serialized, i.e. handed to the producer.
 */
public final class DetectionsSerializer extends TopicSerializer<FrameDetections> {

    private static final long serialVersionUID = 1L;

    private final EmitClock clock;
    private transient DetectionsJson json;

    public DetectionsSerializer(String topic, EmitClock clock) {
        super(topic);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        json = new DetectionsJson();
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            FrameDetections d, KafkaSinkContext context, Long timestamp) {
        if (json == null) {
            json = new DetectionsJson();
        }
        return WireRecords.json(topic, d.camera(), d.captureTs(), json.write(d, clock.nowMs()));
    }
}
