package io.frameflow.connectors.sink;

import io.frameflow.records.WindowStats;
import io.frameflow.records.json.StatsJson;
import io.frameflow.records.json.WireRecords;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code frames.stats}: one JSON object per camera window, key camera, timestamp the window's last
 * millisecond (windowEnd - 1, as Flink stamps window results).
 */
public final class StatsSerializer extends TopicSerializer<WindowStats> {

    private static final long serialVersionUID = 1L;

    private transient StatsJson json;

    public StatsSerializer(String topic) {
        super(topic);
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        json = new StatsJson();
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            WindowStats s, KafkaSinkContext context, Long timestamp) {
        if (json == null) {
            json = new StatsJson();
        }
        return WireRecords.json(topic, s.camera(), s.windowEnd() - 1, json.write(s));
    }
}
