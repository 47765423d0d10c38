package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

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
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, face recognition through the whole job on a real broker: YuNet finds the faces, the
 * tracker follows them, MobileFaceNet names them. The woman is enrolled at start-up ({@code
 * --faces}, a photo named {@code woman-grey.jpg}); the man through the gallery topic while the job
 * runs; a photo with two faces sent to the topic is refused and dead-lettered.
 *
 * <p>Frames: the 14 {@code head-pose-2faces} frames of media/frames, by eye a woman on the left and
 * a man on the right (x = 240 between them) on every frame; the enrolment photos are the left and
 * right halves of its first frame.
 */
class FaceRecognitionITCase {

    @RegisterExtension
    static final FlinkTestCluster<EmbeddedKafkaBroker> CLUSTER =
            FlinkTestCluster.withSharedBroker().slots(1).build();

    @TempDir Path dir;

    @Test
    void facesAreNamedFromTheFolderAndFromTheTopicWhileTheJobRuns() throws Exception {
        List<SharedFrame> frames =
                SharedFrames.load().stream()
                        .filter(f -> f.camera().equals("head-pose-2faces"))
                        .toList();
        assertThat(frames).hasSize(14);
        byte[] first = frames.get(0).jpeg();
        Path folder = Files.createDirectories(dir.resolve("faces"));
        Files.write(folder.resolve("woman-grey.jpg"), half(first, true));

        try (LiveJob job =
                LiveJob.start(
                        CLUSTER.broker(),
                        "faces",
                        "yunet_n_dynamic.onnx",
                        "--face-embedder",
                        SharedResources.model("mobilefacenet.onnx").toString(),
                        "--faces",
                        folder.toString())) {
            long base = System.currentTimeMillis() - 60_000;
            job.publish("cam", frames.subList(0, 7), base, 0);
            List<FrameDetections> before = job.detections(7);
            // once the tracker confirms them (a few frames): the woman by name, the man unknown
            assertThat(labels(before, true)).contains("woman-grey").doesNotContain("unknown");
            assertThat(labels(before, false)).contains("unknown").doesNotContain("man-blue");

            job.publish(job.faces, "man-blue", half(first, false));
            job.publish(job.faces, "both", first); // two faces: refused
            Thread.sleep(3_000); // enrolled within seconds
            job.publish("cam", frames.subList(7, 14), base, 7);
            List<FrameDetections> after =
                    job.detections(14).stream().filter(d -> d.seq() >= 7).toList();
            assertThat(after).hasSize(7);
            assertThat(labels(after, false)).containsOnly("man-blue");
            assertThat(labels(after, true)).containsOnly("woman-grey");
            // a named track keeps its name while a turned head lowers its average (the woman's
            // does on these frames), so the similarity reported may sit under the threshold, but
            // it is the track's real similarity to that person, never nothing
            assertThat(after.stream().flatMap(f -> f.detections().stream()))
                    .filteredOn(d -> d.trackId() != Detection.NO_TRACK)
                    .allSatisfy(d -> assertThat(d.similarity()).isBetween(0.2f, 1f));

            DeadLetter d = job.onlyDeadLetter();
            assertThat(d.reasonCode()).isEqualTo("face-photo-several-faces");
            assertThat(new String(d.key(), StandardCharsets.UTF_8)).isEqualTo("both");
            assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        }
    }

    /** The left or right half (at x = 240) of a frame, as a JPEG: one face. */
    static byte[] half(byte[] jpeg, boolean left) {
        try (Mat whole = imdecode(new Mat(new BytePointer(jpeg)), IMREAD_COLOR);
                Mat part =
                        new Mat(
                                whole,
                                left
                                        ? new Rect(0, 0, 240, whole.rows())
                                        : new Rect(240, 0, whole.cols() - 240, whole.rows()));
                Mat copy = part.clone();
                BytePointer out = new BytePointer()) {
            imencode(".jpg", copy, out);
            byte[] b = new byte[(int) out.limit()];
            out.get(b);
            return b;
        }
    }

    /** Labels of the tracked faces on the left (or right) half of the frames. */
    private static List<String> labels(List<FrameDetections> frames, boolean left) {
        return frames.stream()
                .flatMap(f -> f.detections().stream())
                .filter(d -> d.trackId() != Detection.NO_TRACK)
                .filter(d -> ((d.x1() + d.x2()) / 2 < 240) == left)
                .map(Detection::label)
                .toList();
    }
}
