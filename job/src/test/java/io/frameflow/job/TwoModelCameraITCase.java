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
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, several models per camera, through the whole job on a real broker: the job runs
 * YOLOX-Nano ({@code --model}) and YuNet ({@code --models}); camera "both" chooses both in its
 * settings ({@code --camera-config}), camera "persons" runs the default. Every frame of "both"
 * comes out as one record with the persons and the faces, each detection naming its model; then
 * "persons" is switched to both models through the settings topic while the job runs, and a
 * document choosing a model the job does not run is refused.
 *
 * <p>Frames: face-walk-pause's 14 frames of media/frames, 3 people facing the camera on each, by
 * eye (ground_truth.csv: persons 3 and faces 3 on every frame).
 */
class TwoModelCameraITCase {

    @RegisterExtension
    static final FlinkTestCluster<EmbeddedKafkaBroker> CLUSTER =
            FlinkTestCluster.withSharedBroker().slots(1).build();

    @TempDir Path dir;

    @Test
    void aCameraRunsTwoModelsIntoOneRecordAndAnotherSwitchesWithoutARestart() throws Exception {
        EmbeddedKafkaBroker broker = CLUSTER.broker();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String in = "two-in-" + run;
        String config = "two-config-" + run;
        String detections = "two-det-" + run;
        String dlq = "two-dlq-" + run;
        broker.createTopics(1, in, config, detections, "two-ann-" + run, "two-st-" + run, dlq);
        List<SharedFrame> frames =
                SharedFrames.load().stream()
                        .filter(f -> f.camera().equals("face-walk-pause"))
                        .toList();
        assertThat(frames).hasSize(14);
        Path cameras = dir.resolve("cameras.json");
        Files.writeString(cameras, "{\"both\":{\"models\":[\"yolox_nano\",\"yunet_n_dynamic\"]}}");

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
                                "two-ann-" + run,
                                "--topic.stats",
                                "two-st-" + run,
                                "--topic.dlq",
                                dlq,
                                "--model",
                                SharedResources.model("yolox_nano.onnx").toString(),
                                "--models",
                                SharedResources.model("yunet_n_dynamic.onnx").toString(),
                                "--camera-config",
                                cameras.toString(),
                                "--device",
                                "cpu",
                                "--starting-offsets",
                                "earliest",
                                "--checkpoint-interval",
                                "1 s")
                        .validate();
        assertThat(options.modelNames()).containsExactly("yolox_nano", "yunet_n_dynamic");
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        FrameFlowJob.flinkConfiguration(options));
        env.setParallelism(1);
        FrameFlowJob.forOptions(options).buildPipeline(env);
        JobClient job = env.executeAsync("two models " + run);
        try {
            long base = System.currentTimeMillis() - 60_000;
            publish(broker, in, "both", frames.subList(0, 7), base, 0);
            publish(broker, in, "persons", frames.subList(0, 7), base, 0);
            List<FrameDetections> first = DetectionsTopic.read(broker, detections, 14);
            for (FrameDetections f : first) {
                if (f.camera().equals("both")) {
                    assertThat(f.model()).isEqualTo("yolox_nano+yunet_n_dynamic");
                    // each model's file version (SHA-256 start), in the same order
                    assertThat(f.modelVersion()).matches("[0-9a-f]{8}\\+[0-9a-f]{8}");
                    assertThat(count(f, "person", "yolox_nano")).as("persons").isEqualTo(3);
                    assertThat(count(f, "face", "yunet_n_dynamic")).as("faces").isEqualTo(3);
                    // each model's classes in its own block: the tracker never mixes them
                    assertThat(f.detections())
                            .allSatisfy(
                                    d ->
                                            assertThat(d.classId() >= 1000)
                                                    .isEqualTo(d.label().equals("face")));
                } else {
                    assertThat(f.model()).isEqualTo("yolox_nano");
                    assertThat(f.detections()).extracting(Detection::label).containsOnly("person");
                    assertThat(f.detections())
                            .extracting(Detection::model)
                            .containsOnly((String) null);
                }
            }

            publishSettings(
                    broker, config, "persons", "{\"models\":[\"yolox_nano\",\"yunet_n_dynamic\"]}");
            publishSettings(broker, config, "both", "{\"models\":[\"yolov9\"]}"); // not run here
            Thread.sleep(3_000); // applied within seconds
            publish(broker, in, "persons", frames.subList(7, 14), base, 7);
            publish(broker, in, "both", frames.subList(7, 14), base, 7);
            List<FrameDetections> after =
                    DetectionsTopic.read(broker, detections, 28).stream()
                            .filter(f -> f.seq() >= 7)
                            .toList();
            assertThat(after).hasSize(14);
            assertThat(after)
                    .allSatisfy(
                            f -> {
                                // "persons" switched; "both" kept its models (refused document)
                                assertThat(f.model()).isEqualTo("yolox_nano+yunet_n_dynamic");
                                assertThat(count(f, "face", "yunet_n_dynamic")).isEqualTo(3);
                            });

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
            assertThat(d.reasonCode()).isEqualTo("unknown-model");
            assertThat(new String(d.key(), StandardCharsets.UTF_8)).isEqualTo("both");
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get();
        }
    }

    private static long count(FrameDetections f, String label, String model) {
        return f.detections().stream()
                .filter(d -> d.label().equals(label) && model.equals(d.model()))
                .count();
    }

    private static void publish(
            EmbeddedKafkaBroker broker,
            String topic,
            String camera,
            List<SharedFrame> frames,
            long base,
            int from)
            throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            long seq = from + i;
            records.add(
                    WireRecords.frame(topic, camera, seq, base + seq * 500, frames.get(i).jpeg()));
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
}
