package io.frameflow.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.Frame;
import io.frameflow.testkit.FlinkTestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The inference stage in a real Flink MiniCluster with two slots: each parallel instance opens its
 * own session (seen through the model_info metric of both subtasks), every frame comes back once
 * with the same detections the engine finds on its own, and a broken frame is an error result.
 */
class InferenceFunctionITCase {

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final FlinkTestCluster<AutoCloseable> CLUSTER =
            FlinkTestCluster.withoutBroker()
                    .slots(2)
                    .configuration(REPORTER.addToConfiguration(new Configuration()))
                    .build();

    @Test
    void twoSlotsTwoSessionsEveryFrameOnce() throws Exception {
        DetectorSettings config =
                DetectorSettings.forModel(TestFrames.model("yolox_nano.onnx"))
                        .device("cpu")
                        .threads(1, 1)
                        .build();
        List<Frame> frames = new ArrayList<>();
        Map<Long, Long> expectedPersons = new HashMap<>();
        String[] clips = {"store-aisle", "one-by-one"};
        long seq = 0;
        try (Detector detector = Detector.open(config)) {
            for (String clip : clips) {
                for (byte[] jpeg : TestFrames.clip(clip)) {
                    frames.add(TestFrames.frame(clip, seq, jpeg));
                    expectedPersons.put(seq, detector.detect(jpeg).count("person"));
                    seq++;
                }
            }
        }
        frames.add(TestFrames.frame("broken-cam", seq, new byte[] {0x47, 0x49, 0x46}));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<Frame> source = env.fromData(frames).setParallelism(1).rebalance();
        DataStream<InferenceResult> detected =
                InferenceFunction.stage(source, config, Duration.ofSeconds(60), 8)
                        .name("detect")
                        .uid("detect");
        List<InferenceResult> results = new ArrayList<>();
        JobClient job;
        try (CloseableIterator<InferenceResult> it = detected.collectAsync()) {
            job = env.executeAsync("inference-itcase");
            it.forEachRemaining(results::add);
        }
        job.getJobExecutionResult().get();

        assertThat(results).hasSize(frames.size());
        Map<Long, InferenceResult> bySeq = new HashMap<>();
        results.forEach(r -> bySeq.put(r.frame().seq(), r));
        assertThat(bySeq).hasSize(frames.size());
        InferenceResult broken = bySeq.get(seq);
        assertThat(broken)
                .as("broken frame result %s", broken)
                .isInstanceOf(InferenceResult.Failed.class);
        assertThat(((InferenceResult.Failed) broken).reason())
                .as("broken frame result %s", broken)
                .startsWith("undecodable-image: ");
        for (long s = 0; s < seq; s++) {
            InferenceResult r = bySeq.get(s);
            assertThat(r).as("frame %d: %s", s, r).isInstanceOf(InferenceResult.Detected.class);
            long persons =
                    ((InferenceResult.Detected) r)
                            .detections().detections().stream()
                                    .filter(d -> d.label().equals("person"))
                                    .count();
            assertThat(persons).as("persons in frame %d", s).isEqualTo(expectedPersons.get(s));
        }

        Map<String, Metric> modelInfo = REPORTER.findMetrics(job.getJobID(), "model_info");
        assertThat(modelInfo).as("model_info gauges %s", modelInfo.keySet()).hasSize(2);
        assertThat(modelInfo.keySet())
                .allMatch(k -> k.contains("frameflow.device.cpu.model.yolox_nano"));
        for (Metric m : modelInfo.values()) {
            assertThat(((Gauge<?>) m).getValue()).isEqualTo(1);
        }
        assertThat(REPORTER.findMetrics(job.getJobID(), "model_load_ms")).hasSize(2);
        assertThat(REPORTER.findMetrics(job.getJobID(), "batch_size")).hasSize(2);
        assertThat(REPORTER.findMetrics(job.getJobID(), "inflight_requests")).hasSize(2);
    }
}
