package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.json.WireRecords;
import io.frameflow.records.wire.FrameWire;
import io.frameflow.testkit.EmbeddedKafkaBroker;
import io.frameflow.testkit.FlinkTestCluster;
import io.frameflow.testkit.KafkaTopics;
import io.frameflow.testkit.ReliabilityReport;
import io.frameflow.testkit.SharedFrames;
import io.frameflow.testkit.SharedFrames.SharedFrame;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15, fault 1, on a broker with Kafka's stock 1 MiB limit (the test broker's default is 16
 * MiB): a bad frame close to the input topic's limit is accepted there, but its dead letter (the
 * original bytes plus the error and provenance headers) is larger than the dead-letter topic
 * accepts. Before: the DLQ writer failed, the job restarted, read the same record and looped with
 * no output for any camera. Now the dead letter is cut to fit, says so in its headers, and every
 * other camera's frames come out.
 */
class StockSizeDeadLetterITCase {

    @RegisterExtension
    static final FlinkTestCluster<EmbeddedKafkaBroker> CLUSTER =
            FlinkTestCluster.withBroker(
                            () ->
                                    EmbeddedKafkaBroker.start(
                                            Map.of(
                                                    "message.max.bytes",
                                                    String.valueOf(
                                                            FrameWire
                                                                    .KAFKA_DEFAULT_MAX_MESSAGE_BYTES),
                                                    "replica.fetch.max.bytes",
                                                    "1048576")))
                    .build();

    /** The bytes a batch of this one record takes, as the broker counts them. */
    private static int batchBytes(ProducerRecord<byte[], byte[]> r) {
        return MemoryRecords.withRecords(
                        Compression.NONE,
                        new SimpleRecord(r.timestamp(), r.key(), r.value(), r.headers().toArray()))
                .sizeInBytes();
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        var h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void aBadFrameNearTheSizeLimitIsDeadLetteredAndTheOtherCamerasGoOn() throws Exception {
        EmbeddedKafkaBroker broker = CLUSTER.broker();
        String run = UUID.randomUUID().toString().substring(0, 8);
        JobTopics topics =
                JobTopics.of(
                        "frames-" + run,
                        "detections-" + run,
                        "annotated-" + run,
                        "stats-" + run,
                        "dlq-" + run,
                        "stock-" + run);
        // no topic config: the broker's stock limit, as on a default cluster (the test kit's
        // own topics take 16 MiB)
        broker.createTopics(1, Map.of(), topics.names());

        // not an image, and exactly as large as the input topic takes with its key and headers
        // (sized by Kafka's own batch encoder); its dead letter's headers are longer
        long base = (System.currentTimeMillis() / 10_000) * 10_000 - 60_000;
        int limit = FrameWire.KAFKA_DEFAULT_MAX_MESSAGE_BYTES;
        byte[] probe = new byte[limit / 2];
        int size = batchBytes(WireRecords.frame(topics.frames(), "cam-big", 0, base, probe));
        byte[] bad = new byte[probe.length + limit - size];
        new Random(11).nextBytes(bad);
        ProducerRecord<byte[], byte[]> big =
                WireRecords.frame(topics.frames(), "cam-big", 0, base, bad);
        assertThat(batchBytes(big)).isEqualTo(limit);
        KafkaTopics.publish(broker.bootstrapServers(), List.of(big));
        List<SharedFrame> good = SharedFrames.load().subList(0, 6);
        List<ProducerRecord<byte[], byte[]>> frames = new ArrayList<>();
        for (SharedFrame f : good) {
            frames.add(
                    WireRecords.frame(
                            topics.frames(), "cam-good", f.seq(), base + f.seq() * 500, f.jpeg()));
        }
        KafkaTopics.publish(broker.bootstrapServers(), frames);

        FrameFlowOptions options =
                topics.options(
                        broker.bootstrapServers(),
                        "--bounded",
                        "--parallelism",
                        "1",
                        "--checkpoint-interval",
                        "1 s");
        Configuration conf = FrameFlowJob.flinkConfiguration(options);
        // a dead letter the topic refuses fails the job here instead of looping through restarts
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        FrameFlowJob.forOptions(options).buildPipeline(env);
        env.execute("StockSizeDeadLetterITCase");

        List<ConsumerRecord<byte[], byte[]>> dlq =
                KafkaTopics.read(
                        broker.bootstrapServers(),
                        topics.dlq(),
                        1,
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(2),
                        false);
        assertThat(dlq).hasSize(1);
        ConsumerRecord<byte[], byte[]> letter = dlq.get(0);
        assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("cam-big");
        assertThat(header(letter, FrameWire.HEADER_ERROR)).startsWith("not-an-image");
        assertThat(header(letter, FrameWire.HEADER_TRUNCATED)).isEqualTo("true");
        assertThat(header(letter, FrameWire.HEADER_ORIGINAL_SIZE))
                .isEqualTo(String.valueOf(bad.length));
        assertThat(header(letter, FrameWire.HEADER_SHA256))
                .isEqualTo(
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bad)));
        assertThat(letter.value()).isEqualTo(Arrays.copyOf(bad, letter.value().length));

        List<ConsumerRecord<byte[], byte[]>> detections =
                KafkaTopics.read(
                        broker.bootstrapServers(),
                        topics.detections(),
                        good.size(),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(2),
                        true);
        assertThat(detections).hasSize(good.size());

        new ReliabilityReport(
                        "stock-size-limit-dead-letter",
                        "a non-image frame of "
                                + bad.length
                                + " bytes on a broker with Kafka's stock 1 MiB limit; its dead"
                                + " letter (bytes + headers) exceeds the DLQ topic's limit",
                        1 + good.size(),
                        detections.size(),
                        0,
                        dlq.size(),
                        0,
                        1 + good.size() - detections.size() - dlq.size(),
                        "dead letter cut to "
                                + letter.value().length
                                + " bytes (truncated=true, original-size, sha256); restarts 0")
                .write();
    }
}
