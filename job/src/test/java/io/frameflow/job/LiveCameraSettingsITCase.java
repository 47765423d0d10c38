package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.DeadLetter;
import io.frameflow.records.Detection;
import io.frameflow.records.FrameDetections;
import io.frameflow.testkit.EmbeddedKafkaBroker;
import io.frameflow.testkit.FlinkTestCluster;
import io.frameflow.testkit.SharedFrames;
import io.frameflow.testkit.SharedFrames.SharedFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.api.common.JobStatus;
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
        try (LiveJob job = LiveJob.start(CLUSTER.broker(), "live", "yolox_nano.onnx")) {
            // frames of one camera in which YOLOX-nano finds people (ground_truth.csv)
            List<SharedFrame> frames =
                    SharedFrames.load().stream()
                            .filter(f -> f.camera().equals("one-by-one"))
                            .toList()
                            .subList(0, 12);
            long base = System.currentTimeMillis() - 60_000;
            job.publish("cam", frames.subList(0, 6), base, 0);
            List<FrameDetections> before = job.detections(6);
            assertThat(persons(before)).as("persons before the change").isPositive();

            job.publish(job.config, "cam", utf8("{\"classes\":[\"car\"]}"));
            job.publish(job.config, "cam", utf8("{\"clases\":[\"person\"]}")); // a typo
            Thread.sleep(3_000); // applied within seconds
            job.publish("cam", frames.subList(6, 12), base, 6);
            List<FrameDetections> after =
                    job.detections(12).stream().filter(d -> d.seq() >= 6).toList();
            assertThat(after).hasSize(6);
            assertThat(persons(after)).as("persons after the camera detects cars only").isZero();

            DeadLetter d = job.onlyDeadLetter();
            assertThat(d.reasonCode()).isEqualTo("unknown-field");
            assertThat(new String(d.key(), StandardCharsets.UTF_8)).isEqualTo("cam");
            assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static long persons(List<FrameDetections> frames) {
        return frames.stream()
                .flatMap(f -> f.detections().stream())
                .map(Detection::label)
                .filter("person"::equals)
                .count();
    }
}
