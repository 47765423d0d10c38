package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.CameraEvent;
import io.frameflow.records.DeadLetter;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.json.EventsJson;
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
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The whole job running unbounded on a shared broker, with its own topics (frames in, the settings
 * and face gallery topics, detections, annotated frames, stats, events, site totals and dead
 * letters), at parallelism 1 with 1 s checkpoints and no restarts (a failure fails it), until
 * {@link #close()} cancels it: for ITCases that change something while the job runs (settings,
 * gallery) and read what it wrote (committed records only).
 */
final class LiveJob implements AutoCloseable {

    final EmbeddedKafkaBroker broker;
    final String frames;
    final String config;
    final String faces;
    final String detections;
    final String events;
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
        events = run + "-ev";
        dlq = run + "-dlq";
        broker.createTopics(
                1,
                frames,
                config,
                faces,
                detections,
                events,
                run + "-ann",
                run + "-st",
                run + "-sites",
                dlq);
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
                                "--topic.events",
                                events,
                                "--topic.sites",
                                run + "-sites",
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
        Configuration conf = FrameFlowJob.flinkConfiguration(options);
        // a failure fails the job instead of restarting it: RUNNING at the end means no restart
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
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
        publish(camera, shared.stream().map(SharedFrame::jpeg).toList(), base, from, 500);
    }

    /**
     * Publishes JPEGs as camera {@code camera}, seq from {@code from}, captured {@code spacingMs}
     * apart from {@code base} (seq 0's capture time).
     */
    void publish(String camera, List<byte[]> jpegs, long base, int from, long spacingMs)
            throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < jpegs.size(); i++) {
            long seq = from + i;
            records.add(
                    WireRecords.frame(frames, camera, seq, base + seq * spacingMs, jpegs.get(i)));
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
        return deadLetters(1).get(0);
    }

    /** Waits for {@code expected} dead letters (30 s at most); fails on more or fewer. */
    List<DeadLetter> deadLetters(int expected) throws Exception {
        List<DeadLetter> out =
                committed(
                        dlq,
                        expected,
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(2),
                        WireRecords::deadLetter);
        assertThat(out).hasSize(expected);
        return out;
    }

    /**
     * The committed events once at least {@code expected} are there (90 s at most), and any that
     * follow within {@code settle}.
     */
    List<CameraEvent> events(int expected, Duration settle) throws Exception {
        EventsJson json = new EventsJson();
        return committed(
                events, expected, Duration.ofSeconds(90), settle, r -> json.read(r.value()));
    }

    /** How a test reads one record of a topic. */
    private interface Parser<T> {
        T parse(ConsumerRecord<byte[], byte[]> record) throws Exception;
    }

    /** A topic's committed records as {@link KafkaTopics#read} waits for them, parsed. */
    private <T> List<T> committed(
            String topic, int expected, Duration timeout, Duration settle, Parser<T> parser)
            throws Exception {
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                KafkaTopics.read(
                        broker.bootstrapServers(), topic, expected, timeout, settle, true)) {
            out.add(parser.parse(r));
        }
        return out;
    }

    JobStatus status() throws Exception {
        return client.getJobStatus().get();
    }

    @Override
    public void close() throws Exception {
        client.cancel().get();
    }
}
