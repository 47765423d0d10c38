package io.frameflow.job;

import static io.frameflow.job.PrometheusEndpoint.sumBy;
import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.json.WireRecords;
import io.frameflow.records.metrics.FrameFlowMetrics;
import io.frameflow.testkit.FlinkTestCluster;
import io.frameflow.testkit.SharedFrames;
import io.frameflow.testkit.SharedFrames.SharedFrame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the job with Flink's Prometheus reporter, scrapes {@code /metrics} like Prometheus would,
 * and checks the per-camera FrameFlow metrics against what was published. The metrics are the
 * point, not Kafka: the frames come from a {@link TestFrameSource}, the outputs are collected.
 */
class FrameFlowMetricsITCase {

    private static final PrometheusEndpoint PROMETHEUS = new PrometheusEndpoint();

    @RegisterExtension
    static final FlinkTestCluster<AutoCloseable> FLINK =
            FlinkTestCluster.withoutBroker()
                    .slots(2)
                    .configuration(PROMETHEUS.reporterConfig())
                    .build();

    /**
     * A label value as the reporter exports it: characters outside [a-zA-Z0-9:_] become '_' (so
     * camera "store-aisle" is exported as camera="store_aisle").
     */
    private static String label(String value) {
        return value.replaceAll("[^a-zA-Z0-9:_]", "_");
    }

    @Test
    void exportsPerCameraMetricsWithTheRightValues() throws Exception {
        // two partitions, left open like a live topic: the job runs until the test cancels it
        PipelineRun run = PipelineRun.create("metrics", 2).stayOpen();
        String in = "frames-m-" + run.id();

        List<SharedFrame> frames = SharedFrames.load();
        long now = System.currentTimeMillis();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (SharedFrame f : SharedFrames.interleaved(frames)) {
            records.add(WireRecords.frame(in, f.camera(), f.seq(), now + f.seq() * 200, f.jpeg()));
        }
        records.add(new ProducerRecord<>(in, null, now, null, frames.get(0).jpeg())); // no key
        Map<String, Double> published =
                frames.stream()
                        .collect(
                                Collectors.groupingBy(
                                        f -> label(f.camera()),
                                        TreeMap::new,
                                        Collectors.summingDouble(f -> 1.0)));

        FrameFlowOptions options =
                PipelineRun.options("--parallelism", "2", "--job-name", "frameflow-metrics-it");
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        FrameFlowJob.flinkConfiguration(options));
        env.setParallelism(2);
        FrameFlowJob.forOptions(options).buildPipeline(env, run.source(), run.sinks());
        JobClient job = env.executeAsync("frameflow-metrics-it");
        try {
            run.add(records);
            String body = "";
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline) {
                String scraped = PROMETHEUS.scrape();
                body = scraped;
                // until every per-frame count asserted below is complete in one scrape: a scrape
                // reads one metric after another, so frames processed while it runs (capture
                // order releases a camera's held frames together) can be in frames_inferred and
                // not yet in a histogram read before it
                if (Stream.of(
                                FrameFlowMetrics.FRAMES_IN,
                                FrameFlowMetrics.FRAMES_INFERRED,
                                FrameFlowMetrics.LATENCY_MS + "_count",
                                FrameFlowMetrics.INFERENCE_MS + "_count")
                        .allMatch(m -> sumBy(scraped, m, "camera").equals(published))) {
                    break;
                }
                Thread.sleep(1000);
            }
            Files.writeString(
                    Path.of("target", "frameflow-metrics-scrape.txt"),
                    body.lines()
                            .filter(l -> l.contains("frameflow"))
                            .collect(Collectors.joining("\n")));

            assertThat(sumBy(body, FrameFlowMetrics.FRAMES_IN, "camera")).isEqualTo(published);
            assertThat(sumBy(body, FrameFlowMetrics.FRAMES_INFERRED, "camera"))
                    .isEqualTo(published);
            // default policy: nothing dropped, but the counters exist per camera and reason
            assertThat(sumBy(body, FrameFlowMetrics.FRAMES_DROPPED, "camera").keySet())
                    .isEqualTo(published.keySet());
            assertThat(sumBy(body, FrameFlowMetrics.FRAMES_DROPPED, "camera").values())
                    .containsOnly(0.0);
            assertThat(sumBy(body, FrameFlowMetrics.FRAMES_DROPPED, "reason").keySet())
                    .containsExactly("max_age", "max_fps");
            assertThat(sumBy(body, FrameFlowMetrics.DEAD_LETTERS, "reason"))
                    .containsEntry(label("missing-key"), 1.0);
            assertThat(sumBy(body, FrameFlowMetrics.OBJECTS_CURRENT, "class"))
                    .containsKey("person");
            assertThat(sumBy(body, FrameFlowMetrics.LATENCY_MS + "_count", "camera"))
                    .isEqualTo(published);
            assertThat(sumBy(body, FrameFlowMetrics.INFERENCE_MS + "_count", "camera"))
                    .isEqualTo(published);
            assertThat(body)
                    .containsPattern(FrameFlowMetrics.LATENCY_MS + "\\{[^}]*quantile=\"0.99\"")
                    .contains(FrameFlowMetrics.BATCH_SIZE)
                    .contains(FrameFlowMetrics.INFLIGHT_REQUESTS)
                    .containsPattern(
                            FrameFlowMetrics.MODEL_INFO
                                    + "\\{[^}]*device=\"cpu\"[^}]*\\} 1.0|"
                                    + FrameFlowMetrics.MODEL_INFO
                                    + "\\{[^}]*model=\"yolox_nano\"[^}]*\\} 1.0")
                    .contains(FrameFlowMetrics.MODEL_LOAD_MS);
        } finally {
            job.cancel().get();
            run.close();
        }
    }
}
