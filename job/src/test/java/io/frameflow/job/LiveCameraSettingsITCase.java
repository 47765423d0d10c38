package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.DeadLetter;
import io.frameflow.records.Detection;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.json.WireRecords;
import io.frameflow.testkit.EmbeddedKafkaBroker;
import io.frameflow.testkit.FlinkTestCluster;
import io.frameflow.testkit.KafkaTopics;
import io.frameflow.testkit.SharedFrames;
import io.frameflow.testkit.SharedFrames.SharedFrame;
import io.frameflow.testkit.SharedResources;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 16: a camera's settings change through the settings topic while the job runs, with no
 * restart: frames before the change have their persons, frames after it (the camera now detects
 * cars only) have none; a document with a typo is refused, dead-lettered with its reason, and the
 * camera keeps its settings.
 */
class LiveCameraSettingsITCase {

    @RegisterExtension
    static final FlinkTestCluster<EmbeddedKafkaBroker> CLUSTER =
            FlinkTestCluster.withSharedBroker().slots(1).build();

    @Test
    void aSettingsDocumentTakesEffectWithoutARestartAndABadOneIsRefused() throws Exception {
        EmbeddedKafkaBroker broker = CLUSTER.broker();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String in = "live-in-" + run;
        String config = "live-config-" + run;
        String detections = "live-det-" + run;
        String dlq = "live-dlq-" + run;
        broker.createTopics(1, in, config, detections, "live-ann-" + run, "live-st-" + run, dlq);

        FrameFlowOptions options =
                FrameFlowOptions.fromArgs(
                                "--bootstrap-servers",
                                broker.bootstrapServers(),
                                "--topic.frames",
                                in,
                                "--topic.config",
                                config,
                                "--topic.detections",
                                detections,
                                "--topic.annotated",
                                "live-ann-" + run,
                                "--topic.stats",
                                "live-st-" + run,
                                "--topic.dlq",
                                dlq,
                                "--model",
                                SharedResources.model("yolox_nano.onnx").toString(),
                                "--device",
                                "cpu",
                                "--starting-offsets",
                                "earliest",
                                "--checkpoint-interval",
                                "1 s")
                        .validate();
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        FrameFlowJob.flinkConfiguration(options));
        env.setParallelism(1);
        FrameFlowJob.forOptions(options).buildPipeline(env);
        JobClient job = env.executeAsync("live settings " + run);
        try {
            // frames of one camera in which YOLOX-nano finds people (ground_truth.csv)
            List<SharedFrame> frames =
                    SharedFrames.load().stream()
                            .filter(f -> f.camera().equals("one-by-one"))
                            .toList()
                            .subList(0, 12);
            long base = System.currentTimeMillis() - 60_000;
            publish(broker, in, frames.subList(0, 6), base, 0);
            List<FrameDetections> before = detections(broker, detections, 6);
            assertThat(persons(before)).as("persons before the change").isPositive();

            publishSettings(broker, config, "cam", "{\"classes\":[\"car\"]}");
            publishSettings(broker, config, "cam", "{\"clases\":[\"person\"]}"); // a typo
            Thread.sleep(3_000); // applied within seconds
            publish(broker, in, frames.subList(6, 12), base, 6);
            List<FrameDetections> all = detections(broker, detections, 12);
            List<FrameDetections> after = all.stream().filter(d -> d.seq() >= 6).toList();
            assertThat(after).hasSize(6);
            assertThat(persons(after)).as("persons after the camera detects cars only").isZero();

            List<ConsumerRecord<byte[], byte[]>> refused =
                    KafkaTopics.read(
                            broker.bootstrapServers(),
                            dlq,
                            1,
                            Duration.ofSeconds(30),
                            Duration.ofSeconds(2),
                            true);
            assertThat(refused).hasSize(1);
            DeadLetter d = WireRecords.deadLetter(refused.get(0));
            assertThat(d.reasonCode()).isEqualTo("unknown-field");
            assertThat(new String(d.key(), StandardCharsets.UTF_8)).isEqualTo("cam");
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get();
        }
    }

    private static void publish(
            EmbeddedKafkaBroker broker, String topic, List<SharedFrame> frames, long base, int from)
            throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            long seq = from + i;
            records.add(
                    WireRecords.frame(topic, "cam", seq, base + seq * 200, frames.get(i).jpeg()));
        }
        KafkaTopics.publish(broker.bootstrapServers(), records);
    }

    private static void publishSettings(
            EmbeddedKafkaBroker broker, String topic, String camera, String json) throws Exception {
        KafkaTopics.publish(
                broker.bootstrapServers(),
                List.of(
                        new ProducerRecord<>(
                                topic,
                                camera.getBytes(StandardCharsets.UTF_8),
                                json.getBytes(StandardCharsets.UTF_8))));
    }

    private static List<FrameDetections> detections(
            EmbeddedKafkaBroker broker, String topic, int expected) throws Exception {
        return DetectionsTopic.read(broker, topic, expected);
    }

    private static long persons(List<FrameDetections> frames) {
        return frames.stream()
                .flatMap(f -> f.detections().stream())
                .map(Detection::label)
                .filter("person"::equals)
                .count();
    }
}
