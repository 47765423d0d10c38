package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.DeadLetter;
import io.frameflow.records.WindowStats;
import io.frameflow.records.json.WireRecords;
import io.frameflow.testkit.FlinkTestCluster;
import io.frameflow.testkit.SharedFrames;
import io.frameflow.testkit.SharedFrames.SharedFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cameras with wrong clocks share a partition with an on-time camera, live: one a minute fast
 * (within {@code --max-future-skew}, so processed) and one half an hour fast (beyond the 5 min
 * skew: dead-lettered; the broker itself refuses more than 1 h). The on-time camera's windows must
 * hold every one of its frames, and the fast camera's windows fire on its own clock, complete
 * (issue 8: far-future timestamps must not stall or spoil other cameras' windows; the backlog case
 * is {@link BacklogCameraClocksITCase}). The point is time, not Kafka: the frames arrive live
 * through a {@link TestFrameSource} (one partition, left open like a topic) and the outputs are
 * collected.
 */
class FastCameraClockITCase {

    private static final long FRAME_SPACING_MS = 200;
    private static final int ON_TIME_FRAMES = 45; // 9 s of live traffic
    private static final Duration WINDOW = Duration.ofSeconds(2);

    @RegisterExtension
    static final FlinkTestCluster<AutoCloseable> FLINK =
            FlinkTestCluster.withoutBroker().slots(1).build();

    @Test
    void aCameraWithAFastClockDoesNotMakeTheOthersLate() throws Exception {
        // one partition: all three cameras share one watermark; open, like a live topic
        try (PipelineRun run = PipelineRun.create("clock", 1).stayOpen()) {
            String in = "clock-in-" + run.id();
            FrameFlowOptions options =
                    PipelineRun.options(
                            "--window-size",
                            WINDOW.toMillis() + " ms",
                            "--out-of-orderness",
                            "3 s",
                            "--checkpoint-interval",
                            "1 s");
            Configuration conf = FrameFlowJob.flinkConfiguration(options);
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(1);
            FrameFlowJob.forOptions(options).buildPipeline(env, run.source(), run.sinks());
            JobClient job = env.executeAsync("fast camera clock " + run.id());

            List<SharedFrame> frames = SharedFrames.load();
            Map<Long, Long> onTimePerWindow = new TreeMap<>();
            Map<Long, Long> fastPerWindow = new TreeMap<>();
            int farFuture = 0;
            long lastOnTime = 0;
            // let the job start reading so frames are processed live, not as a backlog
            Thread.sleep(3000);
            for (int i = 0; i < ON_TIME_FRAMES; i++) {
                long now = System.currentTimeMillis();
                byte[] jpeg = frames.get(i % frames.size()).jpeg();
                run.add(WireRecords.frame(in, "on-time", i, now, jpeg), 0);
                onTimePerWindow.merge(now - now % WINDOW.toMillis(), 1L, Long::sum);
                lastOnTime = now;
                if (i % 3 == 1) {
                    run.add(WireRecords.frame(in, "fast", i, now + 60_000, jpeg), 0);
                    fastPerWindow.merge(
                            now + 60_000 - (now + 60_000) % WINDOW.toMillis(), 1L, Long::sum);
                }
                if (i % 15 == 7) {
                    run.add(WireRecords.frame(in, "far-future", i, now + 1_800_000, jpeg), 0);
                    farFuture++;
                }
                Thread.sleep(FRAME_SPACING_MS);
            }
            // one more on-time frame after the out-of-orderness: fires the windows above
            Thread.sleep(4000);
            long now = System.currentTimeMillis();
            run.add(WireRecords.frame(in, "on-time", 999, now, frames.get(0).jpeg()), 0);

            // every complete window of the on-time camera, with all of its frames
            long lastComplete = lastOnTime - lastOnTime % WINDOW.toMillis();
            Map<Long, Long> expected = new TreeMap<>(onTimePerWindow);
            expected.keySet().removeIf(w -> w >= lastComplete);
            List<WindowStats> onTime = new ArrayList<>();
            List<WindowStats> fast = new ArrayList<>(); // on its own clock: complete windows only
            try {
                for (WindowStats s :
                        run.await(
                                WindowStats.class,
                                expected.size(),
                                Duration.ofSeconds(90),
                                Duration.ofSeconds(3))) {
                    if (s.camera().equals("on-time")) {
                        onTime.add(s);
                    } else if (s.camera().equals("fast")) {
                        fast.add(s);
                    }
                }
                List<DeadLetter> deadLetters =
                        run.await(
                                DeadLetter.class,
                                farFuture,
                                Duration.ofSeconds(30),
                                Duration.ofSeconds(2));
                assertThat(deadLetters).hasSize(farFuture);
                for (DeadLetter d : deadLetters) {
                    assertThat(d.reasonCode()).isEqualTo("bad-timestamp");
                    assertThat(new String(d.key())).isEqualTo("far-future");
                }
            } finally {
                job.cancel().get();
            }
            Map<Long, Long> actual = new TreeMap<>();
            for (WindowStats s : onTime) {
                assertThat(actual.put(s.windowStart(), s.frames()))
                        .as("window " + s.windowStart() + " emitted once")
                        .isNull();
            }
            actual.keySet().removeIf(w -> w >= lastComplete);
            System.out.printf(
                    "fast-camera: on-time windows %s (frames per window), %d far-future frames"
                            + " dead-lettered%n",
                    actual, farFuture);
            assertThat(actual).as("on-time camera: frames per window").isEqualTo(expected);
            // the fast camera's windows fire on its own clock, each with all of its frames
            assertThat(fast).isNotEmpty();
            for (WindowStats s : fast) {
                assertThat(s.frames())
                        .as("fast camera, window " + s.windowStart())
                        .isEqualTo(fastPerWindow.get(s.windowStart()));
            }
        }
    }
}
