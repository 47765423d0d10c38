package io.frameflow.job;

import static io.frameflow.connectors.KafkaOptions.*;

import io.frameflow.connectors.BrokerSettings;
import io.frameflow.connectors.KafkaOptions;
import io.frameflow.connectors.sink.DeliveryOptions;
import io.frameflow.connectors.sink.FailoverSafeKafkaSink;
import io.frameflow.connectors.sink.FrameSinks;
import io.frameflow.connectors.source.FrameSources;
import io.frameflow.connectors.source.InputOptions;
import io.frameflow.connectors.source.SettingsSources;
import io.frameflow.connectors.source.ValidatedRecord;
import io.frameflow.operators.face.FaceOptions;
import io.frameflow.records.settings.SettingsUpdate;
import io.frameflow.records.wire.FrameWire;
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

    /**
     * The per-camera settings topic, from its start (docs/camera-settings.md); null for a {@code
     * --bounded} run, which takes its settings from {@code --camera-config} only (a replay is a
     * static run, and a bounded read of a topic that may not exist could not end).
     */
    public static Source<SettingsUpdate, ?, ?> settingsSource(FrameFlowOptions options) {
        ReadableConfig config = options.config();
        if (config.get(InputOptions.BOUNDED)) {
            return null;
        }
        return SettingsSources.kafka(
                config.get(KafkaOptions.BOOTSTRAP_SERVERS),
                config.get(KafkaOptions.TOPIC_CONFIG),
                config.get(KafkaOptions.GROUP_ID) + "-settings",
                options.kafkaClientProperties(),
                false);
    }

    /**
     * The face gallery topic (compacted, like the settings topic, and read the same way), or null
     * when face recognition is off or the run is bounded.
     */
    public static Source<SettingsUpdate, ?, ?> facesSource(FrameFlowOptions options) {
        ReadableConfig config = options.config();
        if (config.get(InputOptions.BOUNDED) || !FaceOptions.enabled(config)) {
            return null;
        }
        return SettingsSources.kafka(
                config.get(KafkaOptions.BOOTSTRAP_SERVERS),
                config.get(KafkaOptions.TOPIC_FACES),
                config.get(KafkaOptions.GROUP_ID) + "-faces",
                options.kafkaClientProperties(),
                false);
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
                        FrameSinks.events(
                                DeliveryOptions.sink(config, TOPIC_EVENTS, results, props))),
                new FailoverSafeKafkaSink<>(
                        FrameSinks.sites(
                                DeliveryOptions.sink(config, TOPIC_SITES, results, props))),
                new FailoverSafeKafkaSink<>(
                        FrameSinks.deadLetters(
                                DeliveryOptions.sink(
                                        config, TOPIC_DLQ, DeliveryGuarantee.AT_LEAST_ONCE, props),
                                dlqMaxMessageBytes(options))));
    }

    /**
     * The dead-letter topic's limit, read from the cluster at start-up: a dead letter of a frame
     * close to the input topic's limit carries headers on top and must still fit. Unreadable: the
     * stock 1 MiB, which every topic of a default cluster has.
     */
    static int dlqMaxMessageBytes(FrameFlowOptions options) {
        String dlq = options.get(TOPIC_DLQ);
        int limit =
                BrokerSettings.read(
                                options.get(BOOTSTRAP_SERVERS),
                                options.kafkaClientProperties(),
                                BrokerChecks.ASK_TIMEOUT,
                                dlq)
                        .map(b -> b.maxMessageBytes(dlq))
                        .orElse(FrameWire.KAFKA_DEFAULT_MAX_MESSAGE_BYTES);
        LOG.info("Dead letters are cut to the {} bytes that topic {} accepts", limit, dlq);
        return limit;
    }
}
