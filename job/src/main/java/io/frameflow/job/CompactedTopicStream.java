package io.frameflow.job;

import io.frameflow.connectors.source.ValidatedRecord;
import io.frameflow.operators.time.NoEventTime;
import io.frameflow.records.settings.SettingsUpdate;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

/**
 * A compacted topic's records (the per-camera settings, the face gallery) as a stream for broadcast
 * state. Its watermark is the end of time from the start ({@link NoEventTime}, assigned after the
 * source so that a reader without a partition cannot hold it back), so the operator it joins
 * follows the frames' watermark alone.
 */
final class CompactedTopicStream {

    private CompactedTopicStream() {}

    /**
     * @param source the topic's source, or null for none: then an empty stream with the frames'
     *     watermark
     * @param option the topic's option key (for names), {@code topic} its value
     */
    static DataStream<SettingsUpdate> of(
            StreamExecutionEnvironment env,
            Source<SettingsUpdate, ?, ?> source,
            DataStream<ValidatedRecord> records,
            String option,
            String topic,
            String uid) {
        if (source == null) {
            // nothing, with the frames' watermark (an empty collection source is not: Flink 2.2's
            // fromData fails on an empty list)
            return records.flatMap((ValidatedRecord r, Collector<SettingsUpdate> out) -> {})
                    .returns(TypeInformation.of(SettingsUpdate.class))
                    .name("No " + option);
        }
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "Kafka: " + topic)
                .uid(uid)
                .assignTimestampsAndWatermarks(new NoEventTime<>())
                .name(option + " carries no event time");
    }
}
