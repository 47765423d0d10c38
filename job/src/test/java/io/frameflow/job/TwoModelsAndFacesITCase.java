package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.Detection;
import io.frameflow.records.FrameDetections;
import io.frameflow.testkit.EmbeddedKafkaBroker;
import io.frameflow.testkit.FlinkTestCluster;
import io.frameflow.testkit.SharedFrames;
import io.frameflow.testkit.SharedFrames.SharedFrame;
import io.frameflow.testkit.SharedResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, everything on one camera: persons with YOLOX-Nano and faces with YuNet on the same
 * frames (the camera's settings choose both), the faces named by MobileFaceNet against a gallery of
 * two people. Names go to the faces only: the persons stay persons, with no similarity; both
 * models' results are in one record per frame.
 *
 * <p>Frames: the 14 {@code head-pose-2faces} frames, by eye two people on every frame, a woman on
 * the left and a man on the right (x = 240 between them); enrolment photos are the two halves of
 * the first frame.
 */
class TwoModelsAndFacesITCase {

    @RegisterExtension
    static final FlinkTestCluster<EmbeddedKafkaBroker> CLUSTER =
            FlinkTestCluster.withSharedBroker().slots(1).build();

    @TempDir Path dir;

    @Test
    void personsAndNamedFacesComeFromTheirOwnModelsInOneRecord() throws Exception {
        List<SharedFrame> frames =
                SharedFrames.load().stream()
                        .filter(f -> f.camera().equals("head-pose-2faces"))
                        .toList();
        assertThat(frames).hasSize(14);
        byte[] first = frames.get(0).jpeg();
        Path folder = Files.createDirectories(dir.resolve("faces"));
        Files.write(folder.resolve("woman-grey.jpg"), FaceRecognitionITCase.half(first, true));
        Files.write(folder.resolve("man-blue.jpg"), FaceRecognitionITCase.half(first, false));
        Path cameras = dir.resolve("cameras.json");
        Files.writeString(cameras, "{\"cam\":{\"models\":[\"yolox_nano\",\"yunet_n_dynamic\"]}}");

        try (LiveJob job =
                LiveJob.start(
                        CLUSTER.broker(),
                        "both-faces",
                        "yolox_nano.onnx",
                        "--models",
                        SharedResources.model("yunet_n_dynamic.onnx").toString(),
                        "--camera-config",
                        cameras.toString(),
                        "--face-embedder",
                        SharedResources.model("mobilefacenet.onnx").toString(),
                        "--faces",
                        folder.toString())) {
            long base = System.currentTimeMillis() - 60_000;
            job.publish("cam", frames, base, 0);
            List<FrameDetections> out = job.detections(14);
            assertThat(out).hasSize(14);
            int named = 0;
            for (FrameDetections f : out) {
                assertThat(f.model()).isEqualTo("yolox_nano+yunet_n_dynamic");
                List<Detection> persons =
                        f.detections().stream()
                                .filter(d -> "yolox_nano".equals(d.model()))
                                .toList();
                // ground_truth.csv: YOLOX-Nano finds both people on every frame
                assertThat(persons)
                        .extracting(Detection::label)
                        .containsExactly("person", "person");
                assertThat(persons).allSatisfy(d -> assertThat(d.similarity()).isNaN());
                for (Detection face : f.detections()) {
                    if (!"yunet_n_dynamic".equals(face.model())
                            || face.trackId() == Detection.NO_TRACK) {
                        continue;
                    }
                    boolean left = (face.x1() + face.x2()) / 2 < 240;
                    assertThat(face.label())
                            .as(
                                    "tracked face on the %s, frame %d",
                                    left ? "left" : "right", f.seq())
                            .isEqualTo(left ? "woman-grey" : "man-blue");
                    named++;
                }
            }
            System.out.printf(
                    "two models + faces: %d named faces on 14 frames of 2 people%n", named);
            // the tracker confirms a face after a few frames; from then on it is named
            assertThat(named)
                    .as("named faces over 14 frames of 2 people")
                    .isGreaterThanOrEqualTo(20);
            assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        }
    }
}
