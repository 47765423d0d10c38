package io.frameflow.connectors.sink;

import io.frameflow.records.AnnotatedFrame;
import io.frameflow.records.CameraEvent;
import io.frameflow.records.DeadLetter;
import io.frameflow.records.Frame;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.SiteStats;
import io.frameflow.records.WindowStats;
import io.frameflow.records.json.EmitClock;
import io.frameflow.records.wire.FrameWire;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The KafkaSinks of FrameFlow's output topics, one factory per wire format. Producer defaults suit
 * frames: {@code max.request.size} = {@link FrameWire#MAX_RECORD_BYTES} and, for EXACTLY_ONCE,
 * {@code transaction.timeout.ms} = 15 min (the broker's default maximum; it must exceed the
 * checkpoint interval plus the time a restart takes, or Kafka aborts transactions Flink still means
 * to commit). {@link SinkOptions#producerProperties()} overrides them.
 */
public final class FrameSinks {

    /** 15 min: the most a broker allows by default (transaction.max.timeout.ms). */
    public static final long DEFAULT_TRANSACTION_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(15);

    private FrameSinks() {}

    /**
     * {@code batch.size} of the sinks that write whole frames: the producer's 16 KiB default is
     * smaller than one JPEG, so every frame went out as a batch of its own, one per produce request
     * and partition, and the broker paid its per-batch cost for each (about 1 ms of broker CPU per
     * annotated frame on 2 cores). 256 KiB lets the frames queued while a request is in flight
     * share the next batch, and stays well under a stock broker's 1 MiB {@code message.max.bytes},
     * which limits a whole batch, not one record.
     */
    public static final int FRAME_BATCH_BYTES = 256 * 1024;

    /** Frames in the input format (pass-through, replay). */
    public static KafkaSink<Frame> frames(SinkOptions options) {
        return build(withFrameBatches(options), FrameSerializer::new);
    }

    public static KafkaSink<AnnotatedFrame> annotated(SinkOptions options) {
        return build(withFrameBatches(options), AnnotatedFrameSerializer::new);
    }

    /** {@link #FRAME_BATCH_BYTES} unless the options set {@code batch.size}. */
    private static SinkOptions withFrameBatches(SinkOptions options) {
        return options.producerProperties().containsKey(ProducerConfig.BATCH_SIZE_CONFIG)
                ? options
                : options.withProducerProperty(
                        ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(FRAME_BATCH_BYTES));
    }

    /** Detections JSON with latencyMs measured by the system clock. */
    public static KafkaSink<FrameDetections> detections(SinkOptions options) {
        return detections(options, EmitClock.system());
    }

    public static KafkaSink<FrameDetections> detections(SinkOptions options, EmitClock clock) {
        return build(options, topic -> new DetectionsSerializer(topic, clock));
    }

    public static KafkaSink<WindowStats> stats(SinkOptions options) {
        return build(options, StatsSerializer::new);
    }

    public static KafkaSink<CameraEvent> events(SinkOptions options) {
        return build(options, EventsSerializer::new);
    }

    public static KafkaSink<SiteStats> sites(SinkOptions options) {
        return build(options, SitesSerializer::new);
    }

    /**
     * Dead letters cut only to what the producer sends ({@code max.request.size}): for a topic
     * whose limit is not known. The job passes the topic's limit read at start-up instead.
     */
    public static KafkaSink<DeadLetter> deadLetters(SinkOptions options) {
        return deadLetters(options, Integer.MAX_VALUE);
    }

    /**
     * Dead letters cut to fit {@code topicMaxMessageBytes} (the topic's {@code max.message.bytes})
     * and the producer's {@code max.request.size}, whichever is smaller.
     */
    public static KafkaSink<DeadLetter> deadLetters(SinkOptions options, int topicMaxMessageBytes) {
        int maxRequest =
                Integer.parseInt(
                        producerProperties(options)
                                .getProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        int limit = Math.min(topicMaxMessageBytes, maxRequest);
        return build(options, topic -> new DeadLetterSerializer(topic, limit));
    }

    /** The producer properties a sink gets: FrameFlow's defaults, then the options' overrides. */
    public static Properties producerProperties(SinkOptions options) {
        Properties props = new Properties();
        props.setProperty(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(FrameWire.MAX_RECORD_BYTES));
        if (options.guarantee() == DeliveryGuarantee.EXACTLY_ONCE) {
            props.setProperty(
                    ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                    String.valueOf(DEFAULT_TRANSACTION_TIMEOUT_MS));
        }
        props.putAll(options.producerProperties());
        return props;
    }

    /** The transactional id prefix of one sink: the job's prefix plus the topic. */
    public static String transactionalIdPrefix(SinkOptions options) {
        return options.transactionalIdPrefix() + "-" + options.topic();
    }

    private static <T> KafkaSink<T> build(
            SinkOptions options,
            Function<String, KafkaRecordSerializationSchema<T>> serializerFor) {
        options.validate();
        if (options.guarantee() == DeliveryGuarantee.EXACTLY_ONCE) {
            ExactlyOnceSupport.check(options.topic());
        }
        KafkaRecordSerializationSchema<T> serializer = serializerFor.apply(options.topic());
        var builder =
                KafkaSink.<T>builder()
                        .setBootstrapServers(options.bootstrapServers())
                        .setRecordSerializer(serializer)
                        .setDeliveryGuarantee(options.guarantee())
                        .setKafkaProducerConfig(producerProperties(options));
        if (options.guarantee() == DeliveryGuarantee.EXACTLY_ONCE) {
            builder.setTransactionalIdPrefix(transactionalIdPrefix(options));
        }
        return builder.build();
    }
}
