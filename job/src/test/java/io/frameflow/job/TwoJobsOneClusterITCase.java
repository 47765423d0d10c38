package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.json.DetectionsJson;
import io.frameflow.records.json.DetectionsMessage;
import io.frameflow.records.json.WireRecords;
import io.frameflow.testkit.EmbeddedKafkaBroker;
import io.frameflow.testkit.FlinkTestCluster;
import io.frameflow.testkit.KafkaTopics;
import io.frameflow.testkit.ReliabilityReport;
import io.frameflow.testkit.SharedFrames;
import io.frameflow.testkit.SharedFrames.SharedFrame;
import io.frameflow.testkit.SharedResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15, fault 2: two deployments on one Kafka cluster (two sites; staging beside production)
 * that differ only in their input topic write to the same exactly-once output topics at the same
 * time. With one fixed default transactional-id prefix they fenced each other
 * (ProducerFencedException, restarts, pre-committed transactions dropped); with the ids derived per
 * deployment both finish without a restart and every frame comes out exactly once.
 */
class TwoJobsOneClusterITCase {

    private static final int FRAMES_PER_JOB = 24;

    @RegisterExtension
    static final FlinkTestCluster<EmbeddedKafkaBroker> CLUSTER =
            FlinkTestCluster.withSharedBroker().slots(2).build();

    @Test
    void twoJobsDifferingOnlyInTheirInputTopicRunSideBySide() throws Exception {
        EmbeddedKafkaBroker broker = CLUSTER.broker();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String detections = "two-detections-" + run;
        String annotated = "two-annotated-" + run;
        String stats = "two-stats-" + run;
        String dlq = "two-dlq-" + run;
        List<String> inputs = List.of("site-a-" + run, "site-b-" + run);
        broker.createTopics(1, detections, annotated, stats, dlq, inputs.get(0), inputs.get(1));

        List<SharedFrame> frames = SharedFrames.load().subList(0, FRAMES_PER_JOB);
        long base = (System.currentTimeMillis() / 10_000) * 10_000 - 60_000;
        Set<String> published = new HashSet<>();
        for (String in : inputs) {
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (SharedFrame f : frames) {
                String camera = in + "-" + f.camera();
                records.add(WireRecords.frame(in, camera, f.seq(), base + f.seq() * 250, f.jpeg()));
                published.add(camera + "/" + f.seq());
            }
            KafkaTopics.publish(broker.bootstrapServers(), records);
        }

        List<JobClient> jobs = new ArrayList<>();
        for (String in : inputs) {
            // the same arguments but the input topic: no --group-id, no --transactional-id-prefix
            FrameFlowOptions options =
                    FrameFlowOptions.fromArgs(
                                    "--bootstrap-servers",
                                    broker.bootstrapServers(),
                                    "--topic.frames",
                                    in,
                                    "--topic.detections",
                                    detections,
                                    "--topic.annotated",
                                    annotated,
                                    "--topic.stats",
                                    stats,
                                    "--topic.dlq",
                                    dlq,
                                    "--model",
                                    SharedResources.model("yolox_nano.onnx").toString(),
                                    "--device",
                                    "cpu",
                                    "--delivery",
                                    "exactly-once",
                                    "--annotated-delivery",
                                    "exactly-once",
                                    "--starting-offsets",
                                    "earliest",
                                    "--bounded",
                                    "--parallelism",
                                    "1",
                                    "--checkpoint-interval",
                                    "1 s")
                            .validate();
            Configuration conf = FrameFlowJob.flinkConfiguration(options);
            // a fenced transaction fails the job instead of hiding behind a restart
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            FrameFlowJob.forOptions(options).buildPipeline(env);
            jobs.add(env.executeAsync("two-jobs-" + in));
        }
        for (JobClient job : jobs) {
            // throws if the job failed (restart strategy none: any fencing fails it)
            job.getJobExecutionResult().get();
        }

        List<ConsumerRecord<byte[], byte[]>> out =
                KafkaTopics.read(
                        broker.bootstrapServers(),
                        detections,
                        published.size(),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(3),
                        true);
        DetectionsJson json = new DetectionsJson();
        Map<String, Integer> seen = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : out) {
            DetectionsMessage m = json.read(r.value());
            seen.merge(m.detections().camera() + "/" + m.detections().seq(), 1, Integer::sum);
        }
        long duplicated = seen.values().stream().filter(n -> n > 1).count();
        Set<String> lost = new HashSet<>(published);
        lost.removeAll(seen.keySet());
        assertThat(duplicated).as("frames written twice").isZero();
        assertThat(lost).as("frames never written").isEmpty();
        assertThat(seen.keySet()).isEqualTo(published);

        new ReliabilityReport(
                        "two-jobs-one-cluster",
                        "two jobs, same output topics and arguments but the input topic, exactly-once,"
                                + " side by side on one broker (default group id and"
                                + " transactional-id prefix)",
                        published.size(),
                        seen.size(),
                        0,
                        0,
                        duplicated,
                        lost.size(),
                        "restarts 0 (restart strategy none; both jobs finished)")
                .write();
    }
}
