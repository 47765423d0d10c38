package io.frameflow.job;

import static io.frameflow.records.PoseKeypoints.LEFT_SHOULDER;
import static io.frameflow.records.PoseKeypoints.NOSE;
import static io.frameflow.records.PoseKeypoints.RIGHT_SHOULDER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import io.frameflow.records.AnnotatedFrame;
import io.frameflow.records.Detection;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.PoseKeypoints;
import io.frameflow.records.json.DetectionsJson;
import io.frameflow.records.json.WireRecords;
import io.frameflow.testkit.EmbeddedKafkaBroker;
import io.frameflow.testkit.FlinkTestCluster;
import io.frameflow.testkit.KafkaTopics;
import io.frameflow.testkit.SharedResources;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 17, pose: the whole job with the pose model ({@code yolo11n_pose_int8.onnx}, {@code
 * --model-format auto}) on a real broker: {@code frames.detections} carries 17 COCO keypoints per
 * person, read back from Kafka as JSON, with track ids; annotated frames show the keypoints.
 *
 * <p>The camera is {@code face-walk-pause}'s 14 frames of media/frames (3 people facing the camera
 * on every frame, by eye: ground_truth.csv), 500 ms apart.
 */
class PoseITCase {

    @RegisterExtension
    static final FlinkTestCluster<EmbeddedKafkaBroker> CLUSTER =
            FlinkTestCluster.withSharedBroker().slots(2).build();

    @Test
    void detectionsCarryKeypointsAndAnnotatedFramesShowThem() throws Exception {
        EmbeddedKafkaBroker broker = CLUSTER.broker();
        String run = UUID.randomUUID().toString().substring(0, 8);
        JobTopics topics =
                JobTopics.of(
                                "frames-" + run,
                                "detections-" + run,
                                "annotated-" + run,
                                "stats-" + run,
                                "dlq-" + run,
                                "pose-" + run)
                        .createOn(broker, 2);
        Map<Long, byte[]> originals = WalkCamera.publish(broker, topics);

        FrameFlowOptions options =
                topics.options(
                        broker.bootstrapServers(),
                        "--model",
                        SharedResources.model("yolo11n_pose_int8.onnx").toString(),
                        "--bounded",
                        "--parallelism",
                        "2",
                        "--checkpoint-interval",
                        "2 s");
        WalkCamera.run(options, "PoseITCase");

        Duration timeout = Duration.ofSeconds(60);
        Duration settle = Duration.ofSeconds(2);
        List<ConsumerRecord<byte[], byte[]>> out =
                KafkaTopics.read(
                        broker.bootstrapServers(),
                        topics.detections(),
                        WalkCamera.FRAMES,
                        timeout,
                        settle,
                        true);
        assertThat(out).hasSize(WalkCamera.FRAMES);
        DetectionsJson json = new DetectionsJson();
        Map<Long, FrameDetections> frames = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : out) {
            FrameDetections d = json.read(r.value()).detections();
            frames.put(d.seq(), d);
        }
        assertThat(frames).hasSize(WalkCamera.FRAMES);
        Set<Long> ids = new HashSet<>();
        int sureShoulders = 0;
        for (FrameDetections f : frames.values()) {
            assertThat(f.model()).isEqualTo("yolo11n_pose_int8");
            // 3 people on every frame, by eye
            assertThat(f.detections()).as("persons on frame %d", f.seq()).hasSize(3);
            for (Detection d : f.detections()) {
                assertThat(d.label()).isEqualTo("person");
                assertThat(d.keypointCount()).isEqualTo(PoseKeypoints.COCO.size());
                if (d.trackId() != Detection.NO_TRACK) {
                    ids.add(d.trackId());
                }
                float[] k = d.keypoints();
                if (k[LEFT_SHOULDER * 3 + 2] >= 0.5f && k[RIGHT_SHOULDER * 3 + 2] >= 0.5f) {
                    // facing the camera: the person's left shoulder on the picture's right
                    assertThat(k[LEFT_SHOULDER * 3]).isGreaterThan(k[RIGHT_SHOULDER * 3]);
                    sureShoulders++;
                }
            }
        }
        assertThat(sureShoulders).isGreaterThan(3 * 14 / 2);
        // the tracker carries the pose detections: ids on them, at least the 3 people's
        assertThat(ids).hasSizeGreaterThanOrEqualTo(3);

        // annotated frames: a sure nose is drawn (a filled keypoint dot) where the JSON says
        List<ConsumerRecord<byte[], byte[]>> annotated =
                KafkaTopics.read(
                        broker.bootstrapServers(),
                        topics.annotated(),
                        WalkCamera.FRAMES,
                        timeout,
                        settle,
                        false);
        assertThat(annotated).hasSize(WalkCamera.FRAMES);
        int drawn = 0;
        for (ConsumerRecord<byte[], byte[]> r : annotated) {
            AnnotatedFrame a = WireRecords.annotated(r);
            try (Mat before = decode(originals.get(a.seq()));
                    Mat after = decode(a.jpeg())) {
                for (Detection d : frames.get(a.seq()).detections()) {
                    float[] k = d.keypoints();
                    if (k[NOSE * 3 + 2] >= 0.5f) {
                        assertThat(diffAround(before, after, k[NOSE * 3], k[NOSE * 3 + 1]))
                                .as("nose dot on frame %d", a.seq())
                                .isGreaterThan(60);
                        drawn++;
                    }
                }
            }
        }
        assertThat(drawn).isGreaterThan(3 * 14 / 2);
    }

    private static Mat decode(byte[] jpeg) {
        return imdecode(new Mat(new BytePointer(jpeg)), IMREAD_COLOR);
    }

    /** Largest channel difference in the 3x3 pixels around (x, y). */
    private static int diffAround(Mat a, Mat b, float x, float y) {
        UByteIndexer ia = a.createIndexer();
        UByteIndexer ib = b.createIndexer();
        int cx = Math.round(x);
        int cy = Math.round(y);
        int max = 0;
        for (int yy = Math.max(0, cy - 1); yy <= Math.min(a.rows() - 1, cy + 1); yy++) {
            for (int xx = Math.max(0, cx - 1); xx <= Math.min(a.cols() - 1, cx + 1); xx++) {
                for (int c = 0; c < 3; c++) {
                    max = Math.max(max, Math.abs(ia.get(yy, xx, c) - ib.get(yy, xx, c)));
                }
            }
        }
        return max;
    }
}
