package io.frameflow.connectors.source;

import io.frameflow.records.settings.SettingsUpdate;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The KafkaSource of the per-camera settings topic ({@code frames.config}, compacted): every record
 * from the earliest offset, at every start and restore (a compacted topic is the settings, not a
 * backlog), never failing on content: documents are checked where they are applied. A topic that
 * does not exist (yet) means no settings, not a failed job.
 */
public final class SettingsSources {

    /** How soon a settings topic created while the job runs is read. */
    static final long DISCOVERY_MS = 10_000;

    private SettingsSources() {}

    /**
     * @param bounded read up to the offsets present at start, then finish (for {@code --bounded}
     *     runs, so the job can end)
     */
    public static KafkaSource<SettingsUpdate> kafka(
            String bootstrapServers,
            String topic,
            String groupId,
            Map<String, String> clientProperties,
            boolean bounded) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        // the settings are re-read from the start on every start: nothing to commit
        props.setProperty("commit.offsets.on.checkpoint", "false");
        if (!bounded) {
            // a bounded source with discovery on never runs out of splits: only when unbounded
            props.setProperty("partition.discovery.interval.ms", String.valueOf(DISCOVERY_MS));
        }
        var builder =
                KafkaSource.<SettingsUpdate>builder()
                        .setBootstrapServers(bootstrapServers)
                        // a pattern, not the name: a missing topic is no error (no settings yet),
                        // and one created later is found by partition discovery
                        .setTopicPattern(Pattern.compile(Pattern.quote(topic)))
                        .setGroupId(groupId)
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setDeserializer(new Deserializer())
                        .setProperties(props);
        if (bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /** Key and value as they are, with where they were read. */
    static final class Deserializer implements KafkaRecordDeserializationSchema<SettingsUpdate> {

        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(
                ConsumerRecord<byte[], byte[]> record, Collector<SettingsUpdate> out) {
            out.collect(
                    new SettingsUpdate(
                            record.key() == null ? new byte[0] : record.key(),
                            record.value(),
                            record.topic(),
                            record.partition(),
                            record.offset()));
        }

        @Override
        public TypeInformation<SettingsUpdate> getProducedType() {
            return TypeInformation.of(SettingsUpdate.class);
        }
    }
}
