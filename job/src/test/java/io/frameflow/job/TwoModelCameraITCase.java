package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.DeadLetter;
import io.frameflow.records.Detection;
import io.frameflow.records.FrameDetections;
import io.frameflow.testkit.EmbeddedKafkaBroker;
import io.frameflow.testkit.FlinkTestCluster;
import io.frameflow.testkit.SharedFrames;
import io.frameflow.testkit.SharedFrames.SharedFrame;
import io.frameflow.testkit.SharedResources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.JobStatus;
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
        List<SharedFrame> frames =
                SharedFrames.load().stream()
                        .filter(f -> f.camera().equals("face-walk-pause"))
                        .toList();
        assertThat(frames).hasSize(14);
        Path cameras = dir.resolve("cameras.json");
        Files.writeString(cameras, "{\"both\":{\"models\":[\"yolox_nano\",\"yunet_n_dynamic\"]}}");

        try (LiveJob job =
                LiveJob.start(
                        CLUSTER.broker(),
                        "two",
                        "yolox_nano.onnx",
                        "--models",
                        SharedResources.model("yunet_n_dynamic.onnx").toString(),
                        "--camera-config",
                        cameras.toString())) {
            assertThat(job.options.modelNames()).containsExactly("yolox_nano", "yunet_n_dynamic");
            long base = System.currentTimeMillis() - 60_000;
            job.publish("both", frames.subList(0, 7), base, 0);
            job.publish("persons", frames.subList(0, 7), base, 0);
            for (FrameDetections f : job.detections(14)) {
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

            job.publish(
                    job.config,
                    "persons",
                    LiveCameraSettingsITCase.utf8(
                            "{\"models\":[\"yolox_nano\",\"yunet_n_dynamic\"]}"));
            job.publish(
                    job.config,
                    "both",
                    LiveCameraSettingsITCase.utf8("{\"models\":[\"yolov9\"]}")); // not run here
            Thread.sleep(3_000); // applied within seconds
            job.publish("persons", frames.subList(7, 14), base, 7);
            job.publish("both", frames.subList(7, 14), base, 7);
            List<FrameDetections> after =
                    job.detections(28).stream().filter(f -> f.seq() >= 7).toList();
            assertThat(after).hasSize(14);
            assertThat(after)
                    .allSatisfy(
                            f -> {
                                // "persons" switched; "both" kept its models (refused document)
                                assertThat(f.model()).isEqualTo("yolox_nano+yunet_n_dynamic");
                                assertThat(count(f, "face", "yunet_n_dynamic")).isEqualTo(3);
                            });

            DeadLetter d = job.onlyDeadLetter();
            assertThat(d.reasonCode()).isEqualTo("unknown-model");
            assertThat(new String(d.key(), StandardCharsets.UTF_8)).isEqualTo("both");
            assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        }
    }

    private static long count(FrameDetections f, String label, String model) {
        return f.detections().stream()
                .filter(d -> d.label().equals(label) && model.equals(d.model()))
                .count();
    }
}
