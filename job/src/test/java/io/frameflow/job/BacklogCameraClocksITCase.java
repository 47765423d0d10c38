package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.DeadLetter;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.WindowStats;
import io.frameflow.records.json.WireRecords;
import io.frameflow.testkit.FlinkTestCluster;
import io.frameflow.testkit.ReliabilityReport;
import io.frameflow.testkit.SharedFrames;
import io.frameflow.testkit.SharedFrames.SharedFrame;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15, fault 5: the stats after a backlog (an outage, a failover, a job started late). Three
 * cameras share one partition: one on time, one whose clock is a minute fast, one ten minutes slow.
 * Their last ten seconds are already on the topic when the job starts, interleaved as they were
 * captured, so the job reads them as a backlog while inference paces it. Every window of every
 * camera must hold every one of its frames.
 *
 * <p>With one watermark per partition made from capture times (even capped at the wall clock), this
 * fails: the fast camera's first frame moves the watermark to "now", and every frame of the other
 * two cameras read after that is late (the slow camera's all of them).
 */
class BacklogCameraClocksITCase {

    private static final long FRAME_SPACING_MS = 250;
    private static final int FRAMES_PER_CAMERA = 40; // 10 s of capture per camera
    private static final Duration WINDOW = Duration.ofSeconds(2);
    private static final Map<String, Long> CLOCK_OFFSET_MS =
            Map.of("on-time", 0L, "fast", 60_000L, "slow", -600_000L);

    @RegisterExtension
    static final FlinkTestCluster<AutoCloseable> FLINK =
            FlinkTestCluster.withoutBroker().slots(1).build();

    @Test
    void aBacklogOfCamerasWithDifferentClocksIsCountedInFull() throws Exception {
        try (PipelineRun run = PipelineRun.create("backlog", 1)) {
            String in = "backlog-in-" + run.id();
            List<SharedFrame> frames = SharedFrames.load();
            long start = System.currentTimeMillis() - FRAMES_PER_CAMERA * FRAME_SPACING_MS;
            Map<String, Map<Long, Long>> expected = new TreeMap<>();
            int published = 0;
            for (int i = 0; i < FRAMES_PER_CAMERA; i++) {
                for (var camera : new TreeMap<>(CLOCK_OFFSET_MS).entrySet()) {
                    long ts = start + i * FRAME_SPACING_MS + camera.getValue();
                    byte[] jpeg = frames.get((i + published) % frames.size()).jpeg();
                    run.add(List.of(WireRecords.frame(in, camera.getKey(), i, ts, jpeg)));
                    expected.computeIfAbsent(camera.getKey(), c -> new TreeMap<>())
                            .merge(ts - ts % WINDOW.toMillis(), 1L, Long::sum);
                    published++;
                }
            }

            FrameFlowOptions options =
                    PipelineRun.options(
                            "--window-size",
                            WINDOW.toMillis() + " ms",
                            "--out-of-orderness",
                            "1 s",
                            "--checkpoint-interval",
                            "1 s");
            Configuration conf = FrameFlowJob.flinkConfiguration(options);
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(1);
            FrameFlowJob.forOptions(options).buildPipeline(env, run.source(), run.sinks());
            env.execute("backlog camera clocks " + run.id()); // bounded: reads all, then ends

            Map<String, Map<Long, Long>> actual = new TreeMap<>();
            long duplicatedWindows = 0;
            long inWindows = 0;
            for (WindowStats s : run.collected(WindowStats.class)) {
                Long before =
                        actual.computeIfAbsent(s.camera(), c -> new TreeMap<>())
                                .put(s.windowStart(), s.frames() + s.dropped());
                if (before != null) {
                    duplicatedWindows++;
                }
                inWindows += s.frames() + s.dropped();
            }
            Set<String> detected = new HashSet<>();
            for (FrameDetections d : run.collected(FrameDetections.class)) {
                detected.add(d.camera() + "/" + d.seq());
            }
            List<DeadLetter> deadLetters = run.collected(DeadLetter.class);
            long late = published - inWindows;
            System.out.printf(
                    "backlog: %d frames of %d cameras; in windows %d, late %d; windows %s%n",
                    published, CLOCK_OFFSET_MS.size(), inWindows, late, actual);
            new ReliabilityReport(
                            "backlog-fast-camera-clock",
                            "a 10 s backlog of 3 cameras in one partition, clocks +60 s, 0,"
                                    + " -10 min, read after the job starts",
                            published,
                            detected.size(),
                            0,
                            deadLetters.size(),
                            duplicatedWindows,
                            Math.max(0, late) + (published - detected.size()),
                            "stats: every window of every camera complete ("
                                    + inWindows
                                    + " of "
                                    + published
                                    + " frames in windows, "
                                    + late
                                    + " late)")
                    .write();

            assertThat(deadLetters).isEmpty();
            assertThat(detected).hasSize(published);
            assertThat(duplicatedWindows).as("windows emitted twice").isZero();
            for (String camera : CLOCK_OFFSET_MS.keySet()) {
                assertThat(actual.get(camera))
                        .as(camera + ": frames per window (all windows, the input is bounded)")
                        .isEqualTo(expected.get(camera));
            }
        }
    }
}
