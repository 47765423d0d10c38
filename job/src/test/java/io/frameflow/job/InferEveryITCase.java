package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.AnnotatedFrame;
import io.frameflow.records.Detection;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.SiteStats;
import io.frameflow.records.WindowStats;
import io.frameflow.records.json.WireRecords;
import io.frameflow.testkit.SharedFrames;
import io.frameflow.testkit.SharedFrames.SharedFrame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, "infer every Nth frame", through the whole job (MiniCluster, parallelism 2): a camera
 * at {@code inferEvery} 3 has the detector run on seq 1, 4, 7, ... (its phase: {@code
 * "classroom".hashCode()} is 2 modulo 3, docs/camera-settings.md); every other frame still comes
 * out once, in capture order, with the tracker's predicted boxes and ids, annotated, counted in its
 * stats window, and its site gets its totals.
 *
 * <p>The 15 {@code classroom} frames of {@code media/frames/} (4 people seated at a table, by eye,
 * media/README.md), 500 ms apart.
 */
class InferEveryITCase {

    @TempDir Path dir;

    @Test
    void theDetectorRunsOnEveryThirdFrameAndTheTrackerFillsInTheOthers() throws Exception {
        try (PipelineRun run = PipelineRun.create("infer-every", 2)) {
            String in = "frames-ie-" + run.id();
            List<SharedFrame> camera =
                    SharedFrames.load().stream()
                            .filter(f -> f.camera().equals("classroom"))
                            .toList();
            assertThat(camera).hasSize(15);
            long base = (System.currentTimeMillis() / 10_000) * 10_000 - 120_000;
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (int i = 0; i < camera.size(); i++) {
                records.add(
                        WireRecords.frame(
                                in, "classroom", i, base + i * 500L, camera.get(i).jpeg()));
            }
            run.add(records);
            Path config = dir.resolve("cameras.json");
            Files.writeString(config, "{\"classroom\":{\"inferEvery\":3,\"site\":\"office\"}}");

            FrameFlowOptions options =
                    PipelineRun.options(
                            "--camera-config", config.toString(), "--checkpoint-interval", "2 s");
            Configuration conf = FrameFlowJob.flinkConfiguration(options);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(2);
            FrameFlowJob.forOptions(options).buildPipeline(env, run.source(), run.sinks());
            env.execute("InferEveryITCase");

            List<FrameDetections> frames =
                    run
                            .await(
                                    FrameDetections.class,
                                    15,
                                    Duration.ofSeconds(60),
                                    Duration.ofSeconds(2))
                            .stream()
                            .sorted(Comparator.comparingLong(FrameDetections::seq))
                            .toList();
            assertThat(frames).extracting(FrameDetections::seq).doesNotHaveDuplicates().hasSize(15);
            for (FrameDetections f : frames) {
                boolean inferred = f.seq() % 3 == 1;
                assertThat(f.predicted()).as("seq %d predicted", f.seq()).isEqualTo(!inferred);
                assertThat(f.model()).isEqualTo(inferred ? "yolox_nano" : "tracker");
                assertThat(f.width()).isEqualTo(480); // media/README.md: 480x270
                assertThat(f.height()).isEqualTo(270);
            }
            // nobody moves much: from the second inferred frame on (tracks confirmed), each
            // skipped frame carries the ids of the inferred frame before it
            for (FrameDetections f : frames) {
                if (f.seq() > 4 && f.predicted()) {
                    FrameDetections before = frames.get((int) (f.seq() - (f.seq() - 1) % 3));
                    assertThat(ids(f))
                            .as("seq %d predicted ids", f.seq())
                            .isNotEmpty()
                            .containsExactlyInAnyOrderElementsOf(
                                    ids(before).stream().filter(id -> id > 0).toList());
                }
            }
            assertThat(run.await(AnnotatedFrame.class, 15, Duration.ofSeconds(30), Duration.ZERO))
                    .hasSize(15);
            List<WindowStats> windows =
                    run.await(WindowStats.class, 1, Duration.ofSeconds(30), Duration.ofSeconds(2));
            assertThat(windows.stream().mapToLong(WindowStats::frames).sum()).isEqualTo(15);
            assertThat(windows).allSatisfy(w -> assertThat(w.scene().site()).isEqualTo("office"));
            List<SiteStats> sites =
                    run.await(SiteStats.class, 1, Duration.ofSeconds(30), Duration.ofSeconds(2));
            assertThat(sites).isNotEmpty();
            assertThat(sites)
                    .allSatisfy(
                            s -> {
                                assertThat(s.site()).isEqualTo("office");
                                assertThat(s.cameras()).containsExactly("classroom");
                            });
        }
    }

    private static List<Long> ids(FrameDetections f) {
        return f.detections().stream().map(Detection::trackId).toList();
    }
}
