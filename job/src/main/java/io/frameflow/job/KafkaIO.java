package io.frameflow.job;

import static io.frameflow.job.FrameFlowOptions.*;

import io.frameflow.connectors.sink.FailoverSafeKafkaSink;
import io.frameflow.connectors.sink.FrameSinks;
import io.frameflow.connectors.sink.SinkOptions;
import io.frameflow.connectors.source.FrameSources;
import io.frameflow.connectors.source.SourceOptions;
import io.frameflow.connectors.source.StartingOffsets;
import io.frameflow.connectors.source.ValidatedRecord;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job's Kafka source and sinks, from the options: detections and stats exactly-once
 * (transactional, committed on checkpoints), annotated frames at-least-once unless asked otherwise,
 * dead letters at-least-once (a duplicate dead letter is harmless, a lost one is not).
 */
public final class KafkaIO {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaIO.class);

    private KafkaIO() {}

    public static Source<ValidatedRecord, ?, ?> source(FrameFlowOptions options) {
        SourceOptions base =
                SourceOptions.of(
                        options.get(BOOTSTRAP_SERVERS),
                        options.get(TOPIC_FRAMES),
                        options.get(GROUP_ID));
        SourceOptions source =
                new SourceOptions(
                        base.bootstrapServers(),
                        base.topic(),
                        base.groupId(),
                        StartingOffsets.parse(options.get(STARTING_OFFSETS)),
                        options.get(BOUNDED),
                        (int) options.get(MAX_FRAME_BYTES).getBytes(),
                        base.maxPixels(),
                        kafkaProperties(options));
        return FrameSources.kafka(
                source.withMaxFutureSkewMs(options.get(MAX_FUTURE_SKEW).toMillis()));
    }

    public static PipelineSinks sinks(FrameFlowOptions options) {
        DeliveryGuarantee results =
                options.resultsExactlyOnce()
                        ? DeliveryGuarantee.EXACTLY_ONCE
                        : DeliveryGuarantee.AT_LEAST_ONCE;
        if (results == DeliveryGuarantee.AT_LEAST_ONCE
                && options.get(DELIVERY).equalsIgnoreCase("auto")) {
            LOG.warn(
                    "--delivery auto: the Kafka client on the classpath cannot run the connector's"
                            + " transactions; detections and stats are written at-least-once");
        }
        // a send error seen while a failing task closes its writers must fail the task, not
        // shut the TaskManager down (FailoverSafeKafkaSink, BrokerRestartITCase)
        return new PipelineSinks(
                new FailoverSafeKafkaSink<>(
                        FrameSinks.detections(sink(options, TOPIC_DETECTIONS, results))),
                new FailoverSafeKafkaSink<>(
                        FrameSinks.annotated(
                                sink(
                                        options,
                                        TOPIC_ANNOTATED,
                                        options.annotatedExactlyOnce()
                                                ? DeliveryGuarantee.EXACTLY_ONCE
                                                : DeliveryGuarantee.AT_LEAST_ONCE))),
                new FailoverSafeKafkaSink<>(FrameSinks.stats(sink(options, TOPIC_STATS, results))),
                new FailoverSafeKafkaSink<>(
                        FrameSinks.deadLetters(
                                sink(options, TOPIC_DLQ, DeliveryGuarantee.AT_LEAST_ONCE))));
    }

    static SinkOptions sink(
            FrameFlowOptions options,
            org.apache.flink.configuration.ConfigOption<String> topic,
            DeliveryGuarantee guarantee) {
        Map<String, String> props = kafkaProperties(options);
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            props.putIfAbsent(
                    "transaction.timeout.ms",
                    String.valueOf(options.get(TRANSACTION_TIMEOUT).toMillis()));
        }
        return new SinkOptions(
                options.get(BOOTSTRAP_SERVERS),
                options.get(topic),
                guarantee,
                guarantee == DeliveryGuarantee.EXACTLY_ONCE
                        ? options.get(TRANSACTIONAL_ID_PREFIX)
                        : null,
                props);
    }

    private static Map<String, String> kafkaProperties(FrameFlowOptions options) {
        Map<String, String> props = new HashMap<>();
        options.kafkaProperties().forEach((k, v) -> props.put((String) k, (String) v));
        return props;
    }
}
