package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.DeadLetter;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.json.WireRecords;
import io.frameflow.testkit.EmbeddedKafkaBroker;
import io.frameflow.testkit.KafkaTopics;
import io.frameflow.testkit.SharedFrames.SharedFrame;
import io.frameflow.testkit.SharedResources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The whole job running unbounded on a shared broker, with its own topics (frames in, the settings
 * and face gallery topics, detections, annotated frames, stats and dead letters), at parallelism 1
 * with 1 s checkpoints, until {@link #close()} cancels it: for ITCases that change something while
 * the job runs (settings, gallery) and read what it wrote (committed records only).
 */
final class LiveJob implements AutoCloseable {

    final EmbeddedKafkaBroker broker;
    final String frames;
    final String config;
    final String faces;
    final String detections;
    final String dlq;
    final FrameFlowOptions options;
    private final JobClient client;

    private LiveJob(EmbeddedKafkaBroker broker, String prefix, Path model, List<String> extra)
            throws Exception {
        this.broker = broker;
        String run = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        frames = run + "-in";
        config = run + "-config";
        faces = run + "-faces";
        detections = run + "-det";
        dlq = run + "-dlq";
        broker.createTopics(1, frames, config, faces, detections, run + "-ann", run + "-st", dlq);
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers",
                                broker.bootstrapServers(),
                                "--topic.frames",
                                frames,
                                "--topic.config",
                                config,
                                "--topic.faces",
                                faces,
                                "--topic.detections",
                                detections,
                                "--topic.annotated",
                                run + "-ann",
                                "--topic.stats",
                                run + "-st",
                                "--topic.dlq",
                                dlq,
                                "--model",
                                model.toString(),
                                "--device",
                                "cpu",
                                "--starting-offsets",
                                "earliest",
                                "--checkpoint-interval",
                                "1 s"));
        args.addAll(extra);
        options = FrameFlowOptions.fromArgs(args.toArray(String[]::new)).validate();
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        FrameFlowJob.flinkConfiguration(options));
        env.setParallelism(1);
        FrameFlowJob.forOptions(options).buildPipeline(env);
        client = env.executeAsync(run);
    }

    /** Starts the job with {@code model} as {@code --model} and {@code extra} arguments. */
    static LiveJob start(EmbeddedKafkaBroker broker, String prefix, String model, String... extra)
            throws Exception {
        return new LiveJob(broker, prefix, SharedResources.model(model), List.of(extra));
    }

    /** As {@link #start}, with a model file of the test's own (e.g. one it replaces). */
    static LiveJob withModelFile(
            EmbeddedKafkaBroker broker, String prefix, Path model, String... extra)
            throws Exception {
        return new LiveJob(broker, prefix, model, List.of(extra));
    }

    /** Publishes frames as camera {@code camera}, seq from {@code from}, 500 ms apart. */
    void publish(String camera, List<SharedFrame> shared, long base, int from) throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < shared.size(); i++) {
            long seq = from + i;
            records.add(
                    WireRecords.frame(frames, camera, seq, base + seq * 500, shared.get(i).jpeg()));
        }
        KafkaTopics.publish(broker.bootstrapServers(), records);
    }

    /** One keyed record (a settings document, a gallery photo) to {@code topic}. */
    void publish(String topic, String key, byte[] value) throws Exception {
        KafkaTopics.publish(
                broker.bootstrapServers(),
                List.of(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)));
    }

    /** Waits for {@code expected} frames' detections (90 s at most). */
    List<FrameDetections> detections(int expected) throws Exception {
        return DetectionsTopic.read(broker, detections, expected);
    }

    /** The one dead letter the run is expected to write, once it is there. */
    DeadLetter onlyDeadLetter() throws Exception {
        List<ConsumerRecord<byte[], byte[]>> refused =
                KafkaTopics.read(
                        broker.bootstrapServers(),
                        dlq,
                        1,
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(2),
                        true);
        assertThat(refused).hasSize(1);
        return WireRecords.deadLetter(refused.get(0));
    }

    JobStatus status() throws Exception {
        return client.getJobStatus().get();
    }

    @Override
    public void close() throws Exception {
        client.cancel().get();
    }
}
