package io.frameflow.connectors.sink;

import io.frameflow.records.SiteStats;
import io.frameflow.records.json.SitesJson;
import io.frameflow.records.json.WireRecords;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code frames.sites}: one JSON object per site window revision, key site, timestamp the window's
 * last millisecond.
 */
public final class SitesSerializer extends TopicSerializer<SiteStats> {

    private static final long serialVersionUID = 1L;

    private transient SitesJson json;

    public SitesSerializer(String topic) {
        super(topic);
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        json = new SitesJson();
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            SiteStats s, KafkaSinkContext context, Long timestamp) {
        if (json == null) {
            json = new SitesJson();
        }
        return WireRecords.json(topic, s.site(), s.windowEnd() - 1, json.write(s));
    }
}
