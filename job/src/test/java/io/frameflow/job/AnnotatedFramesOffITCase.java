package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.AnnotatedFrame;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.WindowStats;
import io.frameflow.records.json.WireRecords;
import io.frameflow.testkit.FlinkTestCluster;
import io.frameflow.testkit.SharedFrames;
import io.frameflow.testkit.SharedFrames.SharedFrame;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code --annotated-frames false}: a deployment that needs detections, events and stats only
 * builds no annotation operator and writes no annotated frame, and still detects, tracks and counts
 * every frame.
 */
class AnnotatedFramesOffITCase {

    @RegisterExtension
    static final FlinkTestCluster<AutoCloseable> FLINK =
            FlinkTestCluster.withoutBroker().slots(1).build();

    @Test
    void noFrameIsDrawnAndEveryFrameIsStillDetectedAndCounted() throws Exception {
        try (PipelineRun run = PipelineRun.create("no-annotation", 1)) {
            List<SharedFrame> walk =
                    SharedFrames.load().stream()
                            .filter(f -> f.camera().equals("face-walk-pause"))
                            .toList();
            long base = System.currentTimeMillis() - 60_000;
            for (int i = 0; i < walk.size(); i++) {
                run.add(
                        List.of(
                                WireRecords.frame(
                                        "in-" + run.id(),
                                        "walk",
                                        i,
                                        base + i * 500L,
                                        walk.get(i).jpeg())));
            }
            FrameFlowOptions options =
                    PipelineRun.options(
                            "--annotated-frames", "false", "--checkpoint-interval", "1 s");
            Configuration conf = FrameFlowJob.flinkConfiguration(options);
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(1);
            FrameFlowJob.forOptions(options).buildPipeline(env, run.source(), run.sinks());
            List<String> operators =
                    env.getStreamGraph(false).getStreamNodes().stream()
                            .map(StreamNode::getOperatorName)
                            .toList();
            assertThat(operators).contains("Detect objects").doesNotContain("Annotate frames");
            env.execute("annotated frames off " + run.id());

            assertThat(run.collected(AnnotatedFrame.class)).isEmpty();
            List<FrameDetections> detections = run.collected(FrameDetections.class);
            assertThat(detections).hasSize(walk.size());
            // 3 people on every frame, by eye (ground_truth.csv), tracked
            assertThat(detections)
                    .allSatisfy(
                            d ->
                                    assertThat(
                                                    d.detections().stream()
                                                            .filter(x -> x.label().equals("person"))
                                                            .count())
                                            .isEqualTo(3));
            long counted =
                    run.collected(WindowStats.class).stream().mapToLong(WindowStats::frames).sum();
            assertThat(counted).isEqualTo(walk.size());
        }
    }
}
