package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.operators.inference.InferenceResult;
import io.frameflow.records.Frame;
import io.frameflow.records.FrameDetections;
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
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job's wiring spreads one camera's frames over every detect slot (issue 9: a single busy
 * camera must not be limited to the slot its key hashes to). The detector here only names the
 * subtask that ran it; the real engine is exercised by the other job ITCases. The wiring is the
 * point, not Kafka: the job reads a {@link TestFrameSource} (two partitions, as the topic had) and
 * writes to collecting sinks.
 */
class OneCameraUsesEverySlotITCase {

    private static final int PARALLELISM = 2;

    @RegisterExtension
    static final FlinkTestCluster<AutoCloseable> FLINK =
            FlinkTestCluster.withoutBroker().slots(PARALLELISM).build();

    /** Puts "subtask-N" into the model field instead of detecting anything. */
    static final class SubtaskNamingDetector extends RichAsyncFunction<Frame, InferenceResult> {
        @Override
        public void asyncInvoke(Frame f, ResultFuture<InferenceResult> out) {
            int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
            out.complete(
                    List.of(
                            new InferenceResult.Detected(
                                    f,
                                    new FrameDetections(
                                            f.camera(),
                                            f.seq(),
                                            f.captureTs(),
                                            1,
                                            1,
                                            "subtask-" + subtask,
                                            0,
                                            List.of()))));
        }
    }

    @Test
    void framesOfOneCameraReachEveryDetectSubtask() throws Exception {
        // two partitions as the Kafka topic had; the one camera's frames are all in one of them
        try (PipelineRun run = PipelineRun.create("one-cam", PARALLELISM)) {
            String in = "one-cam-" + run.id();
            List<SharedFrame> frames = SharedFrames.load();
            long base = System.currentTimeMillis() - 60_000;
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                records.add(
                        WireRecords.frame(
                                in, "only-camera", i, base + i * 100L, frames.get(i).jpeg()));
            }
            run.add(records);

            FrameFlowOptions options = PipelineRun.options("--checkpoint-interval", "2 s");
            Configuration conf = FrameFlowJob.flinkConfiguration(options);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(PARALLELISM);
            new FrameFlowJob(options, new SubtaskNamingDetector())
                    .buildPipeline(env, run.source(), run.sinks());
            env.execute("one camera, every slot " + run.id());

            Map<String, Integer> perSubtask = new TreeMap<>();
            for (FrameDetections d :
                    run.await(
                            FrameDetections.class,
                            records.size(),
                            Duration.ofSeconds(60),
                            Duration.ofSeconds(1))) {
                perSubtask.merge(d.model(), 1, Integer::sum);
            }
            System.out.println("one camera, frames per detect subtask: " + perSubtask);
            assertThat(perSubtask.values().stream().mapToInt(Integer::intValue).sum())
                    .isEqualTo(records.size());
            // round-robin: every subtask gets its share (exactly half each from one source split
            // feeding the drop policy, give or take the other split's idle start)
            assertThat(perSubtask).containsOnlyKeys("subtask-0", "subtask-1");
            assertThat(perSubtask.values()).allMatch(n -> n >= records.size() / 4);
        }
    }
}
