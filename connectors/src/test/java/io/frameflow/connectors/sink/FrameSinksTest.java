package io.frameflow.connectors.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameflow.records.AnnotatedFrame;
import io.frameflow.records.DeadLetter;
import io.frameflow.records.Detection;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.WindowStats;
import io.frameflow.records.json.DetectionsJson;
import io.frameflow.records.json.DetectionsMessage;
import io.frameflow.records.json.EmitClock;
import io.frameflow.records.json.StatsJson;
import io.frameflow.records.json.WireRecords;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.util.InstantiationUtil;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class FrameSinksTest {

    @Test
    void producerDefaultsAllowLargeFramesAndATransactionTimeoutTheBrokerAccepts() {
        Properties eo =
                FrameSinks.producerProperties(SinkOptions.exactlyOnce("b:9092", "t", "job"));
        assertThat(eo.getProperty("max.request.size")).isEqualTo("16777216");
        assertThat(eo.getProperty("transaction.timeout.ms")).isEqualTo("900000");
        Properties alo = FrameSinks.producerProperties(SinkOptions.atLeastOnce("b:9092", "t"));
        assertThat(alo.getProperty("transaction.timeout.ms")).isNull();
        Properties overridden =
                FrameSinks.producerProperties(
                        SinkOptions.exactlyOnce("b:9092", "t", "job")
                                .withProducerProperty("transaction.timeout.ms", "60000")
                                .withProducerProperty("linger.ms", "20"));
        assertThat(overridden.getProperty("transaction.timeout.ms")).isEqualTo("60000");
        assertThat(overridden.getProperty("linger.ms")).isEqualTo("20");
    }

    @Test
    void sinksOfWholeFramesBatchSeveralFramesUnlessTheUserSetsBatchSize() throws Exception {
        SinkOptions plain = SinkOptions.atLeastOnce("b:9092", "frames.annotated");
        // a JPEG is larger than the producer's 16 KiB default: one batch (and request) per frame;
        // 256 KiB, under a stock broker's 1 MiB limit on a batch
        String frameBatch = String.valueOf(256 * 1024);
        assertThat(batchSize(FrameSinks.annotated(plain))).isEqualTo(frameBatch);
        assertThat(batchSize(FrameSinks.frames(plain.withTopic("frames.replay"))))
                .isEqualTo(frameBatch);
        // small records keep the producer's default
        assertThat(batchSize(FrameSinks.detections(plain.withTopic("frames.detections")))).isNull();
        assertThat(
                        batchSize(
                                FrameSinks.annotated(
                                        plain.withProducerProperty("batch.size", "65536"))))
                .isEqualTo("65536");
    }

    /** The producer properties a built sink will use (KafkaSink keeps them for tests only). */
    private static String batchSize(KafkaSink<?> sink) throws Exception {
        Method config = KafkaSink.class.getDeclaredMethod("getKafkaProducerConfig");
        config.setAccessible(true);
        return ((Properties) config.invoke(sink)).getProperty("batch.size");
    }

    @Test
    void eachSinkOfAJobGetsItsOwnTransactionalIdPrefix() {
        SinkOptions dlq = SinkOptions.exactlyOnce("b:9092", "frames.dlq", "frameflow-job");
        assertThat(FrameSinks.transactionalIdPrefix(dlq)).isEqualTo("frameflow-job-frames.dlq");
        assertThat(FrameSinks.transactionalIdPrefix(dlq.withTopic("frames.stats")))
                .isEqualTo("frameflow-job-frames.stats");
    }

    @Test
    void thePinnedKafkaClientCanRunExactlyOnce() {
        // kafka-clients 4.3.x lacks TransactionalRequestResult.await(), which the connector calls;
        // the root pom pins 4.2.1. This fails if someone bumps it without checking.
        assertThat(ExactlyOnceSupport.available()).isTrue();
        assertThat(
                        FrameSinks.deadLetters(
                                SinkOptions.exactlyOnce("b:9092", "frames.dlq", "frameflow-job")))
                .isNotNull();
    }

    @Test
    void badOptionsFailAtBuildTimeWithAMessageThatSaysWhatToFix() {
        assertThatThrownBy(
                        () ->
                                FrameSinks.stats(
                                        new SinkOptions(
                                                "b:9092",
                                                "frames.stats",
                                                DeliveryGuarantee.EXACTLY_ONCE,
                                                " ",
                                                Map.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("EXACTLY_ONCE needs a transactional id prefix");
        assertThatThrownBy(() -> FrameSinks.frames(SinkOptions.atLeastOnce("", "t")))
                .hasMessageContaining("bootstrap servers are required");
        assertThatThrownBy(() -> FrameSinks.frames(SinkOptions.atLeastOnce("b:9092", null)))
                .hasMessageContaining("a topic is required");
    }

    @Test
    void detectionsSerializerWritesJsonKeyedByCameraWithLatencyFromItsClock() throws Exception {
        FrameDetections d =
                new FrameDetections(
                        "cam-9",
                        3,
                        10_000,
                        640,
                        480,
                        "m",
                        4.5,
                        List.of(new Detection("person", 0, 0.9f, 1, 2, 3, 4, null)));
        DetectionsSerializer s =
                roundTripJava(
                        new DetectionsSerializer("frames.detections", EmitClock.fixed(10_040)));
        ProducerRecord<byte[], byte[]> p = s.serialize(d, null, null);
        assertThat(p.topic()).isEqualTo("frames.detections");
        assertThat(new String(p.key(), StandardCharsets.UTF_8)).isEqualTo("cam-9");
        assertThat(p.timestamp()).isEqualTo(10_000L);
        DetectionsMessage back = new DetectionsJson().read(p.value());
        // NaN (no similarity) equals NaN, as in the record's own equals
        assertThat(back.detections())
                .usingRecursiveComparison()
                .withEqualsForType((a, b) -> Float.compare(a, b) == 0, Float.class)
                .isEqualTo(d);
        assertThat(back.latencyMs()).isEqualTo(40);
    }

    @Test
    void statsSerializerWritesJsonKeyedByCameraStampedWithTheWindowsLastMs() throws Exception {
        WindowStats w = new WindowStats("cam-9", 0, 10_000, 0, 0, 0, Map.of(), null, null);
        ProducerRecord<byte[], byte[]> p =
                roundTripJava(new StatsSerializer("frames.stats")).serialize(w, null, null);
        assertThat(new String(p.key(), StandardCharsets.UTF_8)).isEqualTo("cam-9");
        assertThat(p.timestamp()).isEqualTo(9_999L);
        assertThat(new StatsJson().read(p.value())).isEqualTo(w);
    }

    @Test
    void binarySerializersWriteTheWireRecords() throws Exception {
        AnnotatedFrame a = new AnnotatedFrame("c", 1, 2, "m", new byte[] {3});
        ProducerRecord<byte[], byte[]> pa =
                roundTripJava(new AnnotatedFrameSerializer("frames.annotated"))
                        .serialize(a, null, null);
        assertThat(WireRecords.annotated(delivered(pa))).usingRecursiveComparison().isEqualTo(a);

        DeadLetter d = new DeadLetter(new byte[] {1}, new byte[] {2}, 3, "empty-value", "f", 0, 4);
        ProducerRecord<byte[], byte[]> pd =
                roundTripJava(new DeadLetterSerializer("frames.dlq")).serialize(d, null, null);
        assertThat(WireRecords.deadLetter(delivered(pd))).usingRecursiveComparison().isEqualTo(d);
    }

    /** Serializers travel to the task managers by Java serialization. */
    private static <T extends java.io.Serializable> T roundTripJava(T s) throws Exception {
        return InstantiationUtil.clone(s);
    }

    private static ConsumerRecord<byte[], byte[]> delivered(ProducerRecord<byte[], byte[]> p) {
        return new ConsumerRecord<>(
                p.topic(),
                0,
                0,
                p.timestamp(),
                TimestampType.CREATE_TIME,
                0,
                0,
                p.key(),
                p.value(),
                p.headers(),
                Optional.empty());
    }
}
