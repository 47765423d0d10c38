package io.frameflow.job;

import static io.frameflow.job.PrometheusEndpoint.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import io.frameflow.records.DeadLetter;
import io.frameflow.records.Frame;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.json.WireRecords;
import io.frameflow.records.metrics.FrameFlowMetrics;
import io.frameflow.testkit.FlinkTestCluster;
import io.frameflow.testkit.ReliabilityReport;
import io.frameflow.testkit.SharedFrames;
import io.frameflow.testkit.SharedFrames.SharedFrame;
import io.frameflow.testkit.SharedResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model failure (issue 8) on a MiniCluster: a missing, corrupt or truncated model stops {@link
 * FrameFlowJob#main} before any job reaches the cluster; mid-stream, frames of extreme size are
 * inferred, frames that pass the source validator but that the decoder inside the inference
 * operator rejects go to the dead-letter topic with a reason and are counted, and the frames after
 * them are processed, with no restart. The model and the frames are the point, not Kafka: the
 * frames come from a {@link TestFrameSource} and the outputs are collected.
 */
class ModelFailureITCase {

    private static final PrometheusEndpoint PROMETHEUS = new PrometheusEndpoint();

    @RegisterExtension
    static final FlinkTestCluster<AutoCloseable> FLINK =
            FlinkTestCluster.withoutBroker()
                    .slots(2)
                    .configuration(PROMETHEUS.reporterConfig())
                    .build();

    @TempDir Path dir;

    /** A solid-colour image of any size, encoded by OpenCV (".jpg" or ".png"). */
    private static byte[] image(int width, int height, String ext) {
        try (Mat m = new Mat(height, width, CV_8UC3, new Scalar(40, 160, 220, 0));
                BytePointer buf = new BytePointer()) {
            assertThat(imencode(ext, m, buf)).isTrue();
            byte[] b = new byte[(int) buf.limit()];
            buf.get(b);
            return b;
        }
    }

    /**
     * A real JPEG whose frame header is re-labelled SOF5 (hierarchical, differential): structurally
     * sound, so the source validator lets it through, but libjpeg cannot decode that process.
     */
    private static byte[] hierarchicalJpeg(byte[] jpeg) {
        byte[] b = jpeg.clone();
        int i = 2;
        while (i + 4 < b.length && (b[i] & 0xff) == 0xff) {
            int marker = b[i + 1] & 0xff;
            if (marker == 0xc0 || marker == 0xc1 || marker == 0xc2) {
                b[i + 1] = (byte) 0xc5;
                return b;
            }
            i += 2 + (((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff));
        }
        throw new IllegalStateException("no SOF0/1/2 marker found");
    }

    private static String[] startArgs(Path model) {
        return new String[] {
            "--bootstrap-servers", "127.0.0.1:1", "--model", model.toString(), "--device", "cpu"
        };
    }

    @Test
    void badModelsFailStartUpAndABadFrameIsDeadLetteredWhileTheJobContinues(
            @InjectMiniCluster MiniCluster mini) throws Exception {
        // ---- start-up: nothing reaches the cluster ----
        int jobsBefore = mini.listJobs().get().size();
        byte[] realModel = Files.readAllBytes(SharedResources.model("yolox_nano.onnx"));
        Path missing = dir.resolve("missing.onnx");
        Path random = dir.resolve("random.onnx");
        byte[] noise = new byte[256 * 1024];
        new Random(8).nextBytes(noise);
        Files.write(random, noise);
        Path truncated = dir.resolve("truncated.onnx");
        Files.write(truncated, Arrays.copyOf(realModel, realModel.length / 3));
        assertThatThrownBy(() -> FrameFlowJob.main(startArgs(missing)))
                .hasMessageContaining("No model at " + missing.toAbsolutePath())
                .hasMessageContaining("--model FILE");
        for (Path bad : List.of(random, truncated)) {
            assertThatThrownBy(() -> FrameFlowJob.main(startArgs(bad)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad.toAbsolutePath().toString())
                    .hasMessageContaining("not a valid ONNX model")
                    .hasMessageContaining("--model FILE");
        }
        assertThat(mini.listJobs().get()).as("jobs submitted by main()").hasSize(jobsBefore);

        // ---- mid-stream: extreme and undecodable frames among real ones ----
        // two partitions (the source's splits), as the topic had; open like a topic, so the job
        // runs until the test stops it with a savepoint
        try (PipelineRun run = PipelineRun.create("mf", 2).stayOpen()) {
            midStream(run);
        }
    }

    private void midStream(PipelineRun run) throws Exception {
        String in = "mf-frames-" + run.id();

        List<SharedFrame> real =
                SharedFrames.load().stream().filter(f -> f.camera().equals("classroom")).toList();
        assertThat(real).hasSizeGreaterThan(8);
        long now = System.currentTimeMillis();
        Map<String, int[]> extremeSizes = new HashMap<>();
        extremeSizes.put("0", new int[] {16000, 2});
        extremeSizes.put("1", new int[] {2, 16000});
        extremeSizes.put("2", new int[] {1, 65000});
        extremeSizes.put("3", new int[] {1, 1});
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        List<String> expectedProcessed = new ArrayList<>();
        List<String> expectedDead = new ArrayList<>();
        for (SharedFrame f : real) {
            records.add(WireRecords.frame(in, f.camera(), f.seq(), now + f.seq(), f.jpeg()));
            expectedProcessed.add(f.camera() + "/" + f.seq());
            if (f.seq() == 5) { // in the middle of the stream, with real frames after them
                for (var e : extremeSizes.entrySet()) {
                    int[] wh = e.getValue();
                    String ext = e.getKey().equals("1") ? ".png" : ".jpg";
                    long seq = Long.parseLong(e.getKey());
                    String type = ext.equals(".png") ? Frame.PNG : Frame.JPEG;
                    byte[] bytes = image(wh[0], wh[1], ext);
                    records.add(
                            WireRecords.frame(
                                    in,
                                    new Frame("cam-extreme", seq, now, type, bytes, null, -1, -1)));
                    expectedProcessed.add("cam-extreme/" + seq);
                }
                for (long seq = 0; seq < 2; seq++) {
                    records.add(
                            WireRecords.frame(
                                    in,
                                    "cam-sof5",
                                    seq,
                                    now,
                                    hierarchicalJpeg(real.get((int) seq).jpeg())));
                    expectedDead.add("cam-sof5/" + seq);
                }
            }
        }
        run.add(records);

        FrameFlowOptions options =
                PipelineRun.options(
                        "--device", "cpu", "--parallelism", "2", "--checkpoint-interval", "1 s");
        Configuration conf = FrameFlowJob.flinkConfiguration(options);
        // a failure would restart the job (and show in numRestarts) rather than end the test
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        FrameFlowJob.forOptions(options).buildPipeline(env, run.source(), run.sinks());
        JobClient job = env.executeAsync("model-failure");
        String jobLabel = "job_name=\"model_failure\"";
        String body = "";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            body = PROMETHEUS.scrape();
            if (sum(body, FrameFlowMetrics.FRAMES_INFERRED, jobLabel) >= expectedProcessed.size()
                    && sum(body, FrameFlowMetrics.DEAD_LETTERS, jobLabel) >= expectedDead.size()) {
                break;
            }
            Thread.sleep(500);
        }
        double restarts = sum(body, "flink_jobmanager_job_numRestarts", jobLabel);
        double deadMetric =
                sum(
                        body,
                        FrameFlowMetrics.DEAD_LETTERS,
                        jobLabel,
                        "operator_name=\"Inference_results\"",
                        "reason=\"undecodable_image\"");
        job.stopWithSavepoint(
                        true, dir.resolve("sp").toUri().toString(), SavepointFormatType.CANONICAL)
                .get(120, TimeUnit.SECONDS);

        List<FrameDetections> detRecords =
                run.await(
                        FrameDetections.class,
                        expectedProcessed.size(),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(2));
        Map<String, FrameDetections> processed = new HashMap<>();
        for (FrameDetections d : detRecords) {
            processed.put(d.camera() + "/" + d.seq(), d);
        }
        List<DeadLetter> dlqRecords =
                run.await(
                        DeadLetter.class,
                        expectedDead.size(),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(2));
        List<String> reasons = new ArrayList<>();
        for (DeadLetter d : dlqRecords) {
            reasons.add(d.reason());
        }
        long published = records.size();
        long duplicated = detRecords.size() - processed.size();
        long lost = published - processed.size() - dlqRecords.size();
        System.out.printf(
                "MODEL-FAILURE published %d, processed %d, dead-lettered %d (%s), duplicated %d,"
                        + " lost %d, restarts %.0f, dead_letters{undecodable-image} metric %.0f%n",
                published,
                processed.size(),
                dlqRecords.size(),
                reasons,
                duplicated,
                lost,
                restarts,
                deadMetric);
        new ReliabilityReport(
                        "model-failure",
                        "missing, random-bytes and truncated model at start-up (main fails, 0 jobs"
                                + " submitted); 4 extreme-size frames (16000x2, 2x16000, 1x65000,"
                                + " 1x1) and 2 undecodable (SOF5) frames mid-stream",
                        published,
                        processed.size(),
                        0,
                        dlqRecords.size(),
                        duplicated,
                        lost,
                        "restarts "
                                + (long) restarts
                                + "; dead_letters metric "
                                + (long) deadMetric)
                .write();

        assertThat(restarts).as("restarts").isZero();
        assertThat(duplicated).isZero();
        assertThat(processed.keySet()).containsExactlyInAnyOrderElementsOf(expectedProcessed);
        for (var e : extremeSizes.entrySet()) {
            FrameDetections d = processed.get("cam-extreme/" + e.getKey());
            assertThat(new int[] {d.width(), d.height()}).containsExactly(e.getValue());
        }
        assertThat(dlqRecords).hasSize(expectedDead.size());
        for (DeadLetter d : dlqRecords) {
            assertThat(new String(d.key())).isEqualTo("cam-sof5");
            assertThat(d.reasonCode()).isEqualTo("undecodable-image");
            assertThat(d.sourceTopic()).isEqualTo(in);
        }
        assertThat(deadMetric).isEqualTo(expectedDead.size());
        assertThat(lost).isZero();
        // real frames published after the bad ones were processed too
        assertThat(processed).containsKey("classroom/" + real.get(real.size() - 1).seq());
    }
}
