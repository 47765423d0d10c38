package io.frameflow.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.connectors.sink.FrameSinks;
import io.frameflow.connectors.sink.SinkOptions;
import io.frameflow.records.AnnotatedFrame;
import io.frameflow.records.Detection;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.WindowStats;
import io.frameflow.records.WindowStats.ClassCount;
import io.frameflow.records.WindowStats.Percentiles;
import io.frameflow.records.json.DetectionsJson;
import io.frameflow.records.json.DetectionsMessage;
import io.frameflow.records.json.EmitClock;
import io.frameflow.records.json.StatsJson;
import io.frameflow.records.json.WireRecords;
import io.frameflow.testkit.EmbeddedKafkaBroker;
import io.frameflow.testkit.FlinkTestCluster;
import io.frameflow.testkit.KafkaTopics;
import io.frameflow.testkit.SharedFrames;
import io.frameflow.testkit.SharedFrames.SharedFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every output wire format through a real KafkaSink on a MiniCluster and back from the embedded
 * broker with the parsers the viewer and recorder use: frames.annotated, frames.detections and
 * frames.stats.
 */
class SinksITCase {

    @RegisterExtension
    static final FlinkTestCluster<EmbeddedKafkaBroker> CLUSTER =
            FlinkTestCluster.withSharedBroker().slots(2).build();

    @Test
    void annotatedDetectionsAndStatsRoundTripThroughKafka() throws Exception {
        EmbeddedKafkaBroker broker = CLUSTER.broker();
        String id = UUID.randomUUID().toString().substring(0, 8);
        String annotatedTopic = "sinks-annotated-" + id;
        String detectionsTopic = "sinks-detections-" + id;
        String statsTopic = "sinks-stats-" + id;
        broker.createTopics(2, annotatedTopic, detectionsTopic, statsTopic);

        long base = System.currentTimeMillis() - 10_000;
        List<AnnotatedFrame> annotated = new ArrayList<>();
        List<FrameDetections> detections = new ArrayList<>();
        for (SharedFrame f : SharedFrames.load()) {
            if (f.seq() < 3) {
                long ts = base + f.seq() * 100;
                annotated.add(new AnnotatedFrame(f.camera(), f.seq(), ts, "yolox_nano", f.jpeg()));
                detections.add(
                        new FrameDetections(
                                f.camera(),
                                f.seq(),
                                ts,
                                480,
                                270,
                                "yolox_nano",
                                7.25 + f.seq(),
                                List.of(
                                        new Detection("person", 0, 0.8f, 1.5f, 2, 30, 40.25f, null),
                                        new Detection(
                                                "face",
                                                0,
                                                0.6f,
                                                5,
                                                6,
                                                7,
                                                8,
                                                new float[] {5.5f, 6.5f}))));
            }
        }
        List<WindowStats> stats =
                List.of(
                        new WindowStats(
                                "classroom",
                                base,
                                base + 10_000,
                                30,
                                3.0,
                                2,
                                Map.of("person", new ClassCount(3.5, 4, 3)),
                                new Percentiles(40, 80, 95, 120.5),
                                new Percentiles(9, 15, 20, 31)),
                        new WindowStats(
                                "one-by-one", base, base + 10_000, 0, 0, 0, Map.of(), null, null));

        StreamExecutionEnvironment env = TestEnvironments.kryoFree();
        env.setParallelism(2);
        String servers = broker.bootstrapServers();
        env.fromData(annotated)
                .sinkTo(FrameSinks.annotated(SinkOptions.atLeastOnce(servers, annotatedTopic)))
                .name("annotated sink");
        env.fromData(detections)
                .sinkTo(
                        FrameSinks.detections(
                                SinkOptions.atLeastOnce(servers, detectionsTopic),
                                EmitClock.fixed(base + 1_000)))
                .name("detections sink");
        env.fromData(stats)
                .sinkTo(FrameSinks.stats(SinkOptions.atLeastOnce(servers, statsTopic)))
                .name("stats sink");
        env.execute("sinks round trip " + id);

        List<AnnotatedFrame> annotatedBack = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                readAll(servers, annotatedTopic, annotated.size())) {
            annotatedBack.add(WireRecords.annotated(r));
        }
        assertThat(sorted(annotatedBack, AnnotatedFrame::camera, AnnotatedFrame::seq))
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(
                        sorted(annotated, AnnotatedFrame::camera, AnnotatedFrame::seq));

        DetectionsJson detectionsJson = new DetectionsJson();
        List<FrameDetections> detectionsBack = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                readAll(servers, detectionsTopic, detections.size())) {
            DetectionsMessage m = detectionsJson.read(r.value());
            assertThat(new String(r.key(), StandardCharsets.UTF_8))
                    .isEqualTo(m.detections().camera());
            assertThat(r.timestamp()).isEqualTo(m.detections().captureTs());
            assertThat(m.latencyMs()).isEqualTo(base + 1_000 - m.detections().captureTs());
            assertThat(m.counts()).isEqualTo(Map.of("face", 1, "person", 1));
            detectionsBack.add(m.detections());
        }
        // NaN (a detection that is not a recognised face) equals NaN, as in the record's equals
        assertThat(sorted(detectionsBack, FrameDetections::camera, FrameDetections::seq))
                .usingRecursiveFieldByFieldElementComparator(
                        RecursiveComparisonConfiguration.builder()
                                .withEqualsForType((a, b) -> Float.compare(a, b) == 0, Float.class)
                                .build())
                .containsExactlyElementsOf(
                        sorted(detections, FrameDetections::camera, FrameDetections::seq));

        StatsJson statsJson = new StatsJson();
        List<WindowStats> statsBack = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll(servers, statsTopic, stats.size())) {
            WindowStats s = statsJson.read(r.value());
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(s.camera());
            assertThat(r.timestamp()).isEqualTo(s.windowEnd() - 1);
            statsBack.add(s);
        }
        assertThat(statsBack).containsExactlyInAnyOrderElementsOf(stats);
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(
            String servers, String topic, int expected) {
        List<ConsumerRecord<byte[], byte[]>> records =
                KafkaTopics.read(
                        servers,
                        topic,
                        expected,
                        Duration.ofSeconds(60),
                        Duration.ofMillis(500),
                        false);
        assertThat(records).as(topic).hasSize(expected);
        return records;
    }

    private static <T> List<T> sorted(
            List<T> in,
            java.util.function.Function<T, String> camera,
            java.util.function.ToLongFunction<T> seq) {
        List<T> out = new ArrayList<>(in);
        out.sort(Comparator.comparing(camera).thenComparingLong(seq));
        return out;
    }
}
