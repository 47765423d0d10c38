package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.DeadLetter;
import io.frameflow.records.json.WireRecords;
import io.frameflow.records.metrics.FrameFlowMetrics;
import io.frameflow.testkit.FlinkTestCluster;
import io.frameflow.testkit.ReliabilityReport;
import io.frameflow.testkit.SharedFrames;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15, fault 4: any key was a camera and every camera was forever: each distinct key got
 * metric groups on its subtask, never removed, so a flood of keys grew the heap and the Prometheus
 * scrape without bound. 10,000 distinct camera ids (dropped for age by the drop policy, so no
 * inference is needed to reach every per-camera metric) and 200 keys that are no camera id go
 * through the job: the per-camera series stay bounded and the bad keys are dead-lettered.
 */
class ManyCameraIdsITCase {

    private static final int CAMERAS = 10_000;
    private static final int BAD_KEYS = 200;
    private static final int PARALLELISM = 2;

    private static final PrometheusEndpoint PROMETHEUS = new PrometheusEndpoint();

    @RegisterExtension
    static final FlinkTestCluster<AutoCloseable> FLINK =
            FlinkTestCluster.withoutBroker()
                    .slots(PARALLELISM)
                    .configuration(PROMETHEUS.reporterConfig())
                    .build();

    private static long heapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    @Test
    void tenThousandCameraIdsKeepTheMetricsBounded() throws Exception {
        PipelineRun run = PipelineRun.create("many-ids", PARALLELISM).stayOpen();
        String in = "frames-ids-" + run.id();
        byte[] jpeg = SharedFrames.load().get(0).jpeg(); // one array, shared by every record
        long old = System.currentTimeMillis() - 60_000; // older than --max-frame-age-ms: dropped
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < CAMERAS; i++) {
            records.add(WireRecords.frame(in, String.format("cam-%05d", i), 0, old + i, jpeg));
        }
        for (int i = 0; i < BAD_KEYS; i++) {
            records.add(WireRecords.frame(in, "<cam>\"" + i, 0, old, jpeg));
        }

        FrameFlowOptions options =
                PipelineRun.options(
                        "--parallelism",
                        String.valueOf(PARALLELISM),
                        "--max-frame-age-ms",
                        "1000",
                        "--job-name",
                        "many-camera-ids-it");
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        FrameFlowJob.flinkConfiguration(options));
        env.setParallelism(PARALLELISM);
        FrameFlowJob.forOptions(options).buildPipeline(env, run.source(), run.sinks());
        long heapBefore = heapAfterGc();
        JobClient job = env.executeAsync("many-camera-ids-it");
        try {
            run.add(records);
            String body = "";
            double framesIn = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (System.nanoTime() < deadline && framesIn < CAMERAS) {
                Thread.sleep(1000);
                body = PROMETHEUS.scrape();
                framesIn = PrometheusEndpoint.sum(body, FrameFlowMetrics.FRAMES_IN);
            }
            List<DeadLetter> deadLetters =
                    run.await(
                            DeadLetter.class,
                            BAD_KEYS,
                            Duration.ofSeconds(30),
                            Duration.ofSeconds(1));
            long heapAfter = heapAfterGc();

            assertThat(framesIn)
                    .as("every camera's frame reached the drop policy")
                    .isEqualTo(CAMERAS);
            Set<String> cameraLabels = new TreeSet<>();
            for (var s : PrometheusEndpoint.samples(body, FrameFlowMetrics.FRAMES_IN)) {
                cameraLabels.add(s.labels().replaceAll(".*camera=\"([^\"]*)\".*", "$1"));
            }
            assertThat(cameraLabels)
                    .as("camera labels of frames_in")
                    .contains(FrameFlowMetrics.OTHER_CAMERAS)
                    .hasSizeLessThanOrEqualTo(
                            PARALLELISM * FrameFlowMetrics.MAX_CAMERAS_WITH_METRICS + 1);
            long cameraSeries =
                    body.lines()
                            .filter(l -> l.startsWith(FrameFlowMetrics.PREFIX + "camera_"))
                            .count();
            // frames_in and two frames_dropped reasons per camera group, per subtask
            assertThat(cameraSeries)
                    .as("per-camera series in the scrape")
                    .isLessThanOrEqualTo(
                            3L * PARALLELISM * (FrameFlowMetrics.MAX_CAMERAS_WITH_METRICS + 1));
            assertThat(deadLetters).hasSize(BAD_KEYS);
            assertThat(deadLetters).allMatch(d -> d.reasonCode().equals("bad-camera-id"));
            long heapGrowthMiB = (heapAfter - heapBefore) >> 20;
            assertThat(heapGrowthMiB).as("heap growth after GC, MiB").isLessThan(256);

            new ReliabilityReport(
                            "10000-camera-ids",
                            CAMERAS
                                    + " distinct camera ids (one frame each, dropped for age) and "
                                    + BAD_KEYS
                                    + " keys that are no camera id",
                            CAMERAS + BAD_KEYS,
                            0,
                            CAMERAS,
                            deadLetters.size(),
                            0,
                            0,
                            "camera labels "
                                    + cameraLabels.size()
                                    + " (cap "
                                    + FrameFlowMetrics.MAX_CAMERAS_WITH_METRICS
                                    + "/subtask + _other); per-camera series "
                                    + cameraSeries
                                    + "; scrape "
                                    + (body.length() >> 10)
                                    + " KiB; heap after GC +"
                                    + heapGrowthMiB
                                    + " MiB")
                    .write();
        } finally {
            job.cancel().get();
            run.close();
        }
    }
}
