package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.CameraEvent;
import io.frameflow.records.DeadLetter;
import io.frameflow.testkit.ClipFrames;
import io.frameflow.testkit.EmbeddedKafkaBroker;
import io.frameflow.testkit.FlinkTestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, "changing a camera's line through the topic while the job runs takes effect without a
 * restart; a malformed document is refused and counted": one job runs throughout while the camera's
 * line is set, replaced and removed through the settings topic, each change followed by a malformed
 * document that is refused without touching what the change set.
 *
 * <p>The first 74 s of {@code one-by-one-person-detection.mp4} at 5 fps (every 2nd frame, decoded
 * by ffmpeg), published in three parts. By eye (see {@code RealClipTrackingTest}): one person at a
 * time walks in from the bottom edge, stands at the table and walks off to the right, crossing x =
 * 0.75 once, at about 19 s, 44 s and 69 s; the room is empty from about 20 to 24 s, 45 to 52 s and
 * 70 to 76 s, which is where the parts are cut, so no one is on the picture when a line changes:
 *
 * <ol>
 *   <li>0-21 s under the line {@code exit}, x = 0.75 drawn top to bottom: the first person's
 *       crossing is {@code out};
 *   <li>21-48 s under {@code way-out}, the same place drawn bottom to top: the second person's
 *       crossing is {@code in} and named {@code way-out};
 *   <li>48-74 s after the camera's document is deleted (a tombstone; no defaults document): the
 *       third person crosses no line.
 * </ol>
 *
 * <p>A change is known to be applied, rather than waited for, from the dead letter of the malformed
 * document published right after it: both come through one settings partition to the one tracking
 * subtask (parallelism 1), which refuses the second after it applied the first, and its dead letter
 * is committed only at a checkpoint after that. The frames of the next part are published after it.
 */
class LiveLineChangeITCase {

    static final String CAMERA = "one-by-one";
    static final long CAPTURE_SPACING_MS = 200; // 5 fps
    static final int PART_1_END = 105; // 21 s
    static final int PART_2_END = 240; // 48 s
    static final int FRAMES = 370; // 74 s

    static final String EXIT_TOP_DOWN =
            "{\"lines\":[{\"name\":\"exit\",\"points\":[[0.75,0.0],[0.75,1.0]]}]}";
    static final String WAY_OUT_BOTTOM_UP =
            "{\"lines\":[{\"name\":\"way-out\",\"points\":[[0.75,1.0],[0.75,0.0]]}]}";

    @RegisterExtension
    static final FlinkTestCluster<EmbeddedKafkaBroker> CLUSTER =
            FlinkTestCluster.withSharedBroker().slots(1).build();

    @TempDir Path dir;

    @Test
    void aLineChangedAndRemovedThroughTheTopicCountsFromTheNextFramesWithoutARestart()
            throws Exception {
        ClipFrames.requireFfmpeg();
        List<byte[]> clip = ClipFrames.decode("one-by-one-person-detection.mp4", dir, 2);
        assertThat(clip.size()).as("frames at 5 fps").isGreaterThanOrEqualTo(FRAMES);
        long base = System.currentTimeMillis() - 300_000;
        try (LiveJob job = LiveJob.start(CLUSTER.broker(), "live-line", "yolox_nano.onnx")) {
            // 1. the exit line, then a document whose line has one point
            change(job, EXIT_TOP_DOWN, "{\"lines\":[{\"name\":\"exit\",\"points\":[[0.5,0.0]]}]}");
            assertThat(job.deadLetters(1))
                    .extracting(DeadLetter::reasonCode)
                    .containsExactly("bad-line");
            play(job, clip, base, 0, PART_1_END);
            List<CameraEvent> part1 = crossings(job.events(1, Duration.ofSeconds(3)));
            assertThat(part1).hasSize(1);
            assertThat(part1.get(0).name()).isEqualTo("exit");
            assertThat(part1.get(0).direction()).isEqualTo(CameraEvent.OUT);

            // 2. the line replaced: another name, drawn the other way; then broken JSON
            change(job, WAY_OUT_BOTTOM_UP, "{\"lines\":[{\"name\":\"exit\"");
            assertThat(job.deadLetters(2))
                    .extracting(DeadLetter::reasonCode)
                    .containsExactly("bad-line", "bad-json");
            play(job, clip, base, PART_1_END, PART_2_END);
            List<CameraEvent> part2 = crossings(job.events(2, Duration.ofSeconds(3)));
            assertThat(part2).hasSize(2);
            assertThat(part2.get(0)).isEqualTo(part1.get(0));
            CameraEvent second = part2.get(1);
            assertThat(second.name()).isEqualTo("way-out");
            assertThat(second.direction()).isEqualTo(CameraEvent.IN);
            assertThat(second.trackId()).isNotEqualTo(part1.get(0).trackId());
            assertThat(second.seq()).isBetween((long) PART_1_END, (long) PART_2_END - 1);

            // 3. the camera's document deleted, then a line outside the picture
            change(job, null, "{\"lines\":[{\"name\":\"exit\",\"points\":[[1.5,0.0],[1.5,1.0]]}]}");
            assertThat(job.deadLetters(3))
                    .extracting(DeadLetter::reasonCode)
                    .containsExactly("bad-line", "bad-json", "bad-coordinate");
            play(job, clip, base, PART_2_END, FRAMES);
            // every frame's detections are committed: a frame's events went out before its
            // detections, so they were committed at the same checkpoint or an earlier one (the
            // settle covers the moment between the two sinks' commits)
            assertThat(crossings(job.events(2, Duration.ofSeconds(3))))
                    .as("no line after the tombstone")
                    .isEqualTo(part2);

            assertThat(job.status())
                    .as("the job that started, never restarted (LiveJob: a failure fails it)")
                    .isEqualTo(JobStatus.RUNNING);
        }
    }

    /**
     * Publishes the camera's {@code document} (null: a tombstone), then a {@code malformed} one,
     * whose dead letter the caller waits for: the document is applied by then.
     */
    private static void change(LiveJob job, String document, String malformed) throws Exception {
        job.publish(job.config, CAMERA, document == null ? null : utf8(document));
        job.publish(job.config, CAMERA, utf8(malformed));
    }

    /** Publishes the clip's frames {@code from} to {@code to} and waits for their detections. */
    private static void play(LiveJob job, List<byte[]> clip, long base, int from, int to)
            throws Exception {
        job.publish(CAMERA, clip.subList(from, to), base, from, CAPTURE_SPACING_MS);
        job.detections(to);
    }

    private static List<CameraEvent> crossings(List<CameraEvent> events) {
        return events.stream().filter(e -> e.type() == CameraEvent.Type.LINE_CROSS).toList();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
