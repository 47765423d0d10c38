package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.Detection;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.metrics.FrameFlowMetrics;
import io.frameflow.testkit.Await;
import io.frameflow.testkit.EmbeddedKafkaBroker;
import io.frameflow.testkit.FlinkTestCluster;
import io.frameflow.testkit.SharedFrames;
import io.frameflow.testkit.SharedFrames.SharedFrame;
import io.frameflow.testkit.SharedResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, a model rollout without a restart, through the whole job on a real broker: the job runs
 * {@code detector.onnx} (a copy of YOLOX-Nano) with {@code --model-poll-interval 500 ms}; the file
 * is replaced as a deployment would (written beside it, renamed over it) by YOLOv8n while the job
 * runs. The frames before name YOLOX-Nano's version, the frames after YOLOv8n's (the files' SHA-256
 * prefixes, computed here), none is lost or dead-lettered, and the {@code model_info} metric shows
 * the new version in place of the old.
 *
 * <p>Frames: face-walk-pause's 14 frames of media/frames, 3 people on each by eye
 * (ground_truth.csv; both models find the 3 at their default scores).
 */
class ModelRolloutITCase {

    private static final PrometheusEndpoint PROMETHEUS = new PrometheusEndpoint();

    @RegisterExtension
    static final FlinkTestCluster<EmbeddedKafkaBroker> CLUSTER =
            FlinkTestCluster.withSharedBroker()
                    .slots(1)
                    .configuration(PROMETHEUS.reporterConfig())
                    .build();

    @TempDir Path dir;

    private static String sha8(Path file) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        return HexFormat.of().formatHex(digest).substring(0, 8);
    }

    @Test
    void aReplacedModelFileRunsFromTheNextFramesWithoutARestart() throws Exception {
        List<SharedFrame> frames =
                SharedFrames.load().stream()
                        .filter(f -> f.camera().equals("face-walk-pause"))
                        .toList();
        assertThat(frames).hasSize(14);
        Path yolox = SharedResources.model("yolox_nano.onnx");
        Path yolov8 = SharedResources.model("yolov8n_int8.onnx");
        Path model = dir.resolve("detector.onnx");
        Files.copy(yolox, model);

        try (LiveJob job =
                LiveJob.withModelFile(
                        CLUSTER.broker(), "rollout", model, "--model-poll-interval", "500 ms")) {
            long base = System.currentTimeMillis() - 60_000;
            job.publish("cam", frames.subList(0, 7), base, 0);
            List<FrameDetections> before = job.detections(7);
            assertThat(before)
                    .allSatisfy(
                            f -> {
                                assertThat(f.model()).isEqualTo("detector");
                                assertThat(f.modelVersion()).isEqualTo(sha8(yolox));
                                assertThat(persons(f)).isEqualTo(3);
                            });
            assertThat(modelInfo()).containsExactly("detector_" + sha8(yolox));

            Path next = dir.resolve("detector.onnx.next");
            Files.copy(yolov8, next);
            Files.move(
                    next,
                    model,
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            // two polls to settle, then the load: the metric shows when the slot swapped
            String rolledOut = "detector_" + sha8(yolov8);
            Await.until(
                    "model_info shows " + rolledOut + " alone",
                    () -> modelInfo().equals(List.of(rolledOut)),
                    Duration.ofSeconds(30));

            job.publish("cam", frames.subList(7, 14), base, 7);
            List<FrameDetections> all = job.detections(14);
            assertThat(all).hasSize(14); // none lost, none dead-lettered
            assertThat(all.stream().filter(f -> f.seq() >= 7))
                    .hasSize(7)
                    .allSatisfy(
                            f -> {
                                assertThat(f.model()).isEqualTo("detector");
                                assertThat(f.modelVersion()).isEqualTo(sha8(yolov8));
                                assertThat(persons(f)).isEqualTo(3);
                            });
            assertThat(job.status()).isEqualTo(JobStatus.RUNNING);

            // a replacement that does not load is refused and counted against the running version
            Path broken = dir.resolve("detector.onnx.broken");
            Files.write(broken, Arrays.copyOf(Files.readAllBytes(yolox), 4096));
            Files.move(
                    broken,
                    model,
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            Await.until(
                    "model_reload_failures counts the refused file once",
                    () -> reloadFailures(rolledOut) == 1,
                    Duration.ofSeconds(30));
            assertThat(modelInfo()).containsExactly(rolledOut);
            assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        }
    }

    /** The sum of model_reload_failures of this model label over the slots, in a scrape now. */
    private static double reloadFailures(String model) throws Exception {
        return PrometheusEndpoint.samples(
                        PROMETHEUS.scrape(), FrameFlowMetrics.MODEL_RELOAD_FAILURES)
                .stream()
                .filter(s -> s.labels().contains("model=\"" + model + "\""))
                .mapToDouble(PrometheusEndpoint.Sample::value)
                .sum();
    }

    /** The {@code model} labels of the model_info series in a scrape now. */
    private static List<String> modelInfo() throws Exception {
        return PrometheusEndpoint.samples(PROMETHEUS.scrape(), FrameFlowMetrics.MODEL_INFO).stream()
                .map(s -> s.labels().replaceAll(".*\\bmodel=\"([^\"]*)\".*", "$1"))
                .toList();
    }

    private static long persons(FrameDetections f) {
        return f.detections().stream().map(Detection::label).filter("person"::equals).count();
    }
}
