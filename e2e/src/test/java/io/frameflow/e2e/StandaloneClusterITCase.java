package io.frameflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.frameflow.testkit.KafkaTopics;
import io.frameflow.testkit.SharedFrames.SharedFrame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shaded job jar on a real local session cluster (flink-conf/cluster.sh: JobManager and
 * TaskManager JVMs), submitted through the REST API, fed real frames through a real broker; then
 * cancelled with a savepoint and resumed from it without losing or repeating a stats window.
 */
@ExtendWith(FrameFlowClusterExtension.class)
class StandaloneClusterITCase {

    private static final Duration TIMEOUT = Duration.ofSeconds(150);

    @Test
    void runsFromTheRestApiAndResumesFromASavepointWithoutLosingAWindow(FrameFlowCluster cluster)
            throws Exception {
        String bootstrap = cluster.broker.bootstrapServers();
        List<SharedFrame> first =
                FrameFlowCluster.filter(
                        cluster.frames, f -> f.seq() < FrameFlowCluster.FIRST_BATCH_SEQ);
        List<SharedFrame> second =
                FrameFlowCluster.filter(
                        cluster.frames, f -> f.seq() >= FrameFlowCluster.FIRST_BATCH_SEQ);
        assertThat(first).isNotEmpty();
        assertThat(second).isNotEmpty();

        // 1. the first batch went through: detections committed for every frame, once
        List<ConsumerRecord<byte[], byte[]>> detections =
                KafkaTopics.read(
                        bootstrap, "frames.detections", first.size(), TIMEOUT, Duration.ZERO, true);
        assertThat(frameKeys(detections)).containsExactlyInAnyOrderElementsOf(keys(first));
        assertThat(
                        KafkaTopics.read(
                                bootstrap,
                                "frames.annotated",
                                first.size(),
                                TIMEOUT,
                                Duration.ZERO,
                                false))
                .hasSizeGreaterThanOrEqualTo(first.size());
        List<ConsumerRecord<byte[], byte[]>> dlq =
                KafkaTopics.read(bootstrap, "frames.dlq", 1, TIMEOUT, Duration.ofSeconds(1), false);
        assertThat(dlq).hasSize(1);
        assertThat(new String(dlq.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("broken-cam");
        JsonNode job = cluster.get("/jobs/" + cluster.jobId);
        assertThat(job.path("state").asText()).isEqualTo("RUNNING");
        assertThat(job.path("name").asText()).isEqualTo("FrameFlow-e2e");
        assertThat(job.path("vertices").size()).isGreaterThan(2);
        assertThat(cluster.get("/jobs/overview").toString()).contains(cluster.jobId);

        // 2. what a person sees in the web UI: the running job and its operator graph
        Path shot = screenshot(cluster, cluster.jobId);
        assertThat(Files.size(shot)).as(shot + " size").isGreaterThan(20_000);

        // 3. cancel with a savepoint, publish the rest of the frames, resume from the savepoint
        String savepoint = cluster.cancelWithSavepoint(cluster.jobId, TIMEOUT);
        cluster.publish(second);
        // one frame per camera far later: its watermark fires every window of the frames above
        List<SharedFrame> flush = new ArrayList<>();
        for (String camera : cameras(cluster.frames)) {
            SharedFrame any =
                    cluster.frames.stream()
                            .filter(f -> f.camera().equals(camera))
                            .findFirst()
                            .orElseThrow();
            flush.add(new SharedFrame(camera, 400, any.fileName(), any.jpeg()));
        }
        cluster.publish(flush);
        cluster.jobId = cluster.runJob(savepoint);

        // 4. every frame exactly once in the committed detections, across the savepoint
        List<SharedFrame> all = new ArrayList<>(cluster.frames);
        all.addAll(flush);
        detections =
                KafkaTopics.read(
                        bootstrap,
                        "frames.detections",
                        all.size(),
                        TIMEOUT,
                        Duration.ofSeconds(3),
                        true);
        assertThat(frameKeys(detections)).containsExactlyInAnyOrderElementsOf(keys(all));

        // 5. every window of every camera exactly once in frames.stats, with all of its frames
        long flushStart = cluster.captureTs(flush.get(0));
        Map<String, Long> expected = new TreeMap<>();
        for (SharedFrame f : cluster.frames) {
            expected.merge(windowKey(f.camera(), windowStart(cluster.captureTs(f))), 1L, Long::sum);
        }
        List<ConsumerRecord<byte[], byte[]>> stats =
                KafkaTopics.read(
                        bootstrap,
                        "frames.stats",
                        expected.size(),
                        TIMEOUT,
                        Duration.ofSeconds(4),
                        true);
        Map<String, Long> actual = new TreeMap<>();
        List<String> duplicates = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : stats) {
            JsonNode s = Project.JSON.readTree(r.value());
            if (s.path("windowStart").asLong() >= flushStart) {
                continue;
            }
            String key = windowKey(s.path("camera").asText(), s.path("windowStart").asLong());
            if (actual.put(key, s.path("frames").asLong()) != null) {
                duplicates.add(key);
            }
        }
        assertThat(duplicates).as("windows emitted twice").isEmpty();
        assertThat(actual).as("windows (camera@start -> frames)").isEqualTo(expected);
        assertThat(cluster.get("/jobs/" + cluster.jobId).path("state").asText())
                .isEqualTo("RUNNING");
    }

    /** Headless Chromium renders the web UI's job page (state and operator graph) to a PNG. */
    private static Path screenshot(FrameFlowCluster cluster, String jobId) throws Exception {
        Path shot = cluster.root.resolve("e2e/target/flink-web-ui-job-running.png");
        Files.deleteIfExists(shot);
        WebUiScreenshot.capture(
                cluster.rest + "/#/job/running/" + jobId + "/overview",
                // the job's state and name are shown and the operator graph is drawn
                "document.body.innerText.includes('RUNNING')"
                        + " && document.body.innerText.includes('FrameFlow-e2e')"
                        + " && document.querySelectorAll('svg g').length > 10",
                shot,
                Duration.ofSeconds(60));
        return shot;
    }

    private static List<String> cameras(List<SharedFrame> frames) {
        return frames.stream().map(SharedFrame::camera).distinct().sorted().toList();
    }

    private static List<String> keys(List<SharedFrame> frames) {
        return frames.stream().map(f -> f.camera() + "#" + f.seq()).toList();
    }

    private static List<String> frameKeys(List<ConsumerRecord<byte[], byte[]>> detections)
            throws IOException {
        List<String> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : detections) {
            JsonNode d = Project.JSON.readTree(r.value());
            out.add(d.path("camera").asText() + "#" + d.path("seq").asLong());
        }
        return out;
    }

    private static long windowStart(long ts) {
        long size = FrameFlowCluster.WINDOW.toMillis();
        return ts - Math.floorMod(ts, size);
    }

    private static String windowKey(String camera, long start) {
        return camera + "@" + start;
    }
}
