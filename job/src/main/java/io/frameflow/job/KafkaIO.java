package io.frameflow.job;

import static io.frameflow.connectors.KafkaOptions.*;

import io.frameflow.connectors.sink.DeliveryOptions;
import io.frameflow.connectors.sink.FailoverSafeKafkaSink;
import io.frameflow.connectors.sink.FrameSinks;
import io.frameflow.connectors.source.FrameSources;
import io.frameflow.connectors.source.InputOptions;
import io.frameflow.connectors.source.ValidatedRecord;
import java.util.Map;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.ReadableConfig;
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
        return FrameSources.kafka(
                InputOptions.source(options.config(), options.kafkaClientProperties()));
    }

    public static PipelineSinks sinks(FrameFlowOptions options) {
        ReadableConfig config = options.config();
        DeliveryGuarantee results =
                DeliveryOptions.resultsExactlyOnce(config)
                        ? DeliveryGuarantee.EXACTLY_ONCE
                        : DeliveryGuarantee.AT_LEAST_ONCE;
        if (DeliveryOptions.autoFellBack(config)) {
            LOG.warn(
                    "--delivery auto: the Kafka client on the classpath cannot run the connector's"
                            + " transactions; detections and stats are written at-least-once");
        }
        DeliveryGuarantee annotated =
                DeliveryOptions.annotatedExactlyOnce(config)
                        ? DeliveryGuarantee.EXACTLY_ONCE
                        : DeliveryGuarantee.AT_LEAST_ONCE;
        Map<String, String> props = options.kafkaClientProperties();
        // a send error seen while a failing task closes its writers must fail the task, not
        // shut the TaskManager down (FailoverSafeKafkaSink, BrokerRestartITCase)
        return new PipelineSinks(
                new FailoverSafeKafkaSink<>(
                        FrameSinks.detections(
                                DeliveryOptions.sink(config, TOPIC_DETECTIONS, results, props))),
                new FailoverSafeKafkaSink<>(
                        FrameSinks.annotated(
                                DeliveryOptions.sink(config, TOPIC_ANNOTATED, annotated, props))),
                new FailoverSafeKafkaSink<>(
                        FrameSinks.stats(
                                DeliveryOptions.sink(config, TOPIC_STATS, results, props))),
                new FailoverSafeKafkaSink<>(
                        FrameSinks.deadLetters(
                                DeliveryOptions.sink(
                                        config,
                                        TOPIC_DLQ,
                                        DeliveryGuarantee.AT_LEAST_ONCE,
                                        props))));
    }
}
