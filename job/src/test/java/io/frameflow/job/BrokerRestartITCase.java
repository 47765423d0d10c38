package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.AnnotatedFrame;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.WindowStats;
import io.frameflow.records.json.DetectionsJson;
import io.frameflow.records.json.StatsJson;
import io.frameflow.records.json.WireRecords;
import io.frameflow.records.wire.FrameWire;
import io.frameflow.testkit.Await;
import io.frameflow.testkit.FlinkTestCluster;
import io.frameflow.testkit.ForkedKafkaBroker;
import io.frameflow.testkit.KafkaTopics;
import io.frameflow.testkit.ReliabilityReport;
import io.frameflow.testkit.SharedFrames;
import io.frameflow.testkit.SharedFrames.SharedFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.metrics.MetricNames;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 8, broker restart: the whole job on a MiniCluster (parallelism 2, checkpoints every second,
 * exactly-once sinks) reads 6 cameras that a paced, idempotent producer keeps publishing while the
 * broker (a child JVM on a fixed address, {@link ForkedKafkaBroker}) is killed with SIGKILL and
 * restarted, then stopped with SIGTERM and restarted. Nobody touches the job or the producer. In
 * the end, read with read_committed: one detections record per published frame (by camera + seq),
 * every camera's stats windows exactly once with frame counts that add up to the frames published,
 * nothing dead-lettered, nothing lost. The job runs with its default {@code --close-windows-after}
 * (60 s), longer than the outage: each camera's windows follow its own capture times, so neither a
 * partition that resumes before the other nor the wall clock moving on during the outage makes a
 * backlog late (docs/reliability.md).
 */
class BrokerRestartITCase {

    private static final int PARALLELISM = 2;
    private static final long FRAME_INTERVAL_MS = 500; // capture time between a camera's frames
    private static final long PUBLISH_EVERY_MS = 100; // one frame of one camera every 100 ms
    private static final long WINDOW_MS = 10_000;
    private static final long FLUSH_SEQ = 1_000_000;

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    /** The MiniCluster and a forked broker of this class's own, which the tests kill. */
    @RegisterExtension
    static final FlinkTestCluster<ForkedKafkaBroker> CLUSTER =
            FlinkTestCluster.withBroker(ForkedKafkaBroker::start)
                    .configuration(REPORTER.addToConfiguration(new Configuration()))
                    .slots(PARALLELISM)
                    .build();

    private static ForkedKafkaBroker broker() {
        return CLUSTER.broker();
    }

    /** One frame the test publisher handed to Kafka. */
    private record Sent(String camera, long seq, long ts) {
        String key() {
            return camera + "/" + seq;
        }
    }

    /**
     * Publishes the real frames of 6 cameras in a loop, one frame of each camera per tick (capture
     * times {@link #FRAME_INTERVAL_MS} apart), one frame every {@link #PUBLISH_EVERY_MS}, like
     * cameras that keep capturing while the broker is away: an idempotent producer with acks=all
     * whose delivery timeout outlasts the outage.
     */
    private static final class PacedPublisher implements Runnable {
        private final KafkaProducer<byte[], byte[]> producer;
        private final String topic;
        private final Map<String, List<SharedFrame>> byCamera = new TreeMap<>();
        private final long base;
        private final AtomicBoolean stop = new AtomicBoolean();
        final List<Sent> sent = new CopyOnWriteArrayList<>();
        final Set<String> acked = ConcurrentHashMap.newKeySet();
        final List<String> errors = new CopyOnWriteArrayList<>();
        final AtomicLong maxTs = new AtomicLong(Long.MIN_VALUE);
        private volatile Throwable crash;

        PacedPublisher(String bootstrap, String topic, List<SharedFrame> frames, long base) {
            Map<String, Object> props = new HashMap<>();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 300_000);
            props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024);
            props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
            this.producer =
                    new KafkaProducer<>(
                            props, new ByteArraySerializer(), new ByteArraySerializer());
            this.topic = topic;
            frames.forEach(
                    f -> byCamera.computeIfAbsent(f.camera(), c -> new ArrayList<>()).add(f));
            this.base = base;
        }

        @Override
        public void run() {
            try {
                long next = System.nanoTime();
                for (long tick = 0; !stop.get(); tick++) {
                    // every camera captures a frame per tick, at the same capture time
                    long ts = base + tick * FRAME_INTERVAL_MS;
                    for (var camera : byCamera.entrySet()) {
                        List<SharedFrame> own = camera.getValue();
                        SharedFrame f = own.get((int) (tick % own.size()));
                        send(
                                WireRecords.frame(topic, camera.getKey(), tick, ts, f.jpeg()),
                                camera.getKey(),
                                tick);
                    }
                    maxTs.accumulateAndGet(ts, Math::max);
                    next += TimeUnit.MILLISECONDS.toNanos(PUBLISH_EVERY_MS * byCamera.size());
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
            } catch (Throwable t) {
                crash = t;
            }
        }

        void send(ProducerRecord<byte[], byte[]> record, String camera, long seq) {
            Sent s = new Sent(camera, seq, record.timestamp());
            sent.add(s);
            producer.send(
                    record,
                    (metadata, error) -> {
                        if (error == null) {
                            acked.add(s.key());
                        } else {
                            errors.add(s.key() + ": " + error);
                        }
                    });
        }

        Set<String> cameras() {
            return byCamera.keySet();
        }

        /** Stops publishing, waits for every ack. */
        void finish(Thread thread) throws InterruptedException {
            stop.set(true);
            thread.join(30_000);
            producer.flush();
            assertThat(crash).as("publisher thread").isNull();
        }

        void close() {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** Waits until {@code value} grew by {@code by} from {@code from}; returns the time it took. */
    private static long awaitGrowth(String what, LongSupplier value, long from, long by)
            throws InterruptedException {
        return Await.growth(what, value, from, by, Duration.ofSeconds(180), Duration.ofMillis(500));
    }

    /**
     * The job's metrics by name, every registration (a restarted task registers its metrics again,
     * so identifiers repeat and are not keys).
     */
    private static List<Map.Entry<String, Metric>> jobMetrics(JobClient job) {
        List<Map.Entry<String, Metric>> out = new ArrayList<>();
        String id = job.getJobID().toString();
        for (var group : REPORTER.getMetricsByGroup().entrySet()) {
            if (id.equals(group.getKey().getAllVariables().get("<job_id>"))) {
                out.addAll(group.getValue().entrySet());
            }
        }
        return out;
    }

    /** The job's numRestarts gauge (fails if the metric is missing). */
    private static long numRestarts(JobClient job) {
        Long restarts = null;
        for (Map.Entry<String, Metric> e : jobMetrics(job)) {
            if (e.getKey().equals(MetricNames.NUM_RESTARTS) && e.getValue() instanceof Gauge<?> g) {
                long value = ((Number) g.getValue()).longValue();
                restarts = restarts == null ? value : Math.max(restarts, value);
            }
        }
        assertThat(restarts).as("numRestarts metric of the job").isNotNull();
        return restarts;
    }

    /**
     * Frames the stats windows counted as late (frameflow / camera=... / frames_late), summed over
     * every task attempt.
     */
    private static long lateFrames(JobClient job) {
        long late = 0;
        for (Map.Entry<String, Metric> e : jobMetrics(job)) {
            if (e.getKey().equals("frames_late")
                    && e.getValue() instanceof org.apache.flink.metrics.Counter c) {
                late += c.getCount();
            }
        }
        return late;
    }

    private static long brokerTransactionMaxTimeoutMs() throws Exception {
        try (Admin admin = broker().admin()) {
            ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "1");
            Config config = admin.describeConfigs(List.of(node)).all().get().get(node);
            return Long.parseLong(config.get("transaction.max.timeout.ms").value());
        }
    }

    @Test
    void jobRidesOutBrokerKillAndStopWithExactAccounting() throws Exception {
        runWithBrokerFaults(
                "broker-restart",
                true,
                "broker SIGKILL + SIGTERM, each restarted on the same address");
    }

    /**
     * The same outage with a sink delivery timeout shorter than it: records the sinks hold when the
     * broker dies expire, the job fails over and restarts from its last checkpoint (on its own,
     * through Flink's restart strategy) while the broker is still away, and the accounting is just
     * as exact.
     */
    @Test
    void jobFailsOverToItsLastCheckpointWhenSinkWritesTimeOutWithExactAccounting()
            throws Exception {
        long restarts =
                runWithBrokerFaults(
                        "broker-restart-failover",
                        false,
                        "broker SIGKILL with sink delivery timeout 8 s, max block 5 s < outage",
                        "--kafka.delivery.timeout.ms",
                        "8000",
                        "--kafka.request.timeout.ms",
                        "4000",
                        // a write while the client has no metadata (the broker is away) blocks
                        // this long, then fails the task too
                        "--kafka.max.block.ms",
                        "5000");
        assertThat(restarts).as("job restarts from its checkpoint").isPositive();
    }

    /**
     * Runs the job against the forked broker while the paced publisher publishes, kills (and, if
     * {@code alsoStop}, stops) the broker mid stream, checks the accounting, writes the row;
     * returns the job's restarts.
     */
    private long runWithBrokerFaults(
            String scenario, boolean alsoStop, String faults, String... extraArgs)
            throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String in = "frames-" + run;
        String detectionsTopic = "detections-" + run;
        String annotatedTopic = "annotated-" + run;
        String statsTopic = "stats-" + run;
        String dlqTopic = "dlq-" + run;
        JobTopics topics =
                JobTopics.of(
                                in,
                                detectionsTopic,
                                annotatedTopic,
                                statsTopic,
                                dlqTopic,
                                "restart-" + run)
                        .createOn(broker(), 2);

        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--parallelism",
                                String.valueOf(PARALLELISM),
                                "--checkpoint-interval",
                                "1 s"));
        args.addAll(List.of(extraArgs));
        FrameFlowOptions options =
                topics.options(broker().bootstrapServers(), args.toArray(String[]::new));
        assertThat(options.resultsExactlyOnce()).as("exactly-once sinks").isTrue();
        // a sink transaction longer than the broker allows fails at init; one shorter than an
        // outage plus recovery would be aborted by the broker while Flink still means to commit it
        long brokerMaxTxMs = brokerTransactionMaxTimeoutMs();
        long sinkTxMs =
                options.get(io.frameflow.connectors.sink.DeliveryOptions.TRANSACTION_TIMEOUT)
                        .toMillis();
        assertThat(sinkTxMs).isLessThanOrEqualTo(brokerMaxTxMs).isGreaterThanOrEqualTo(120_000);

        Configuration conf = FrameFlowJob.flinkConfiguration(options);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(PARALLELISM);
        FrameFlowJob.forOptions(options).buildPipeline(env);
        JobClient job = env.executeAsync("BrokerRestartITCase");

        List<SharedFrame> frames = SharedFrames.load();
        long base = (System.currentTimeMillis() / WINDOW_MS) * WINDOW_MS - 60_000;
        PacedPublisher publisher =
                new PacedPublisher(broker().bootstrapServers(), in, frames, base);
        Thread publishing = new Thread(publisher, "paced-publisher");
        List<String> timeline = new ArrayList<>();
        long t0 = System.nanoTime();
        LongSupplier elapsed = () -> (System.nanoTime() - t0) / 1_000_000_000;
        try {
            publishing.start();
            // the job is up and committing before the first fault
            long ready =
                    awaitGrowth(
                            "detections",
                            () ->
                                    KafkaTopics.endOffsets(
                                            broker().bootstrapServers(), detectionsTopic),
                            0,
                            30);
            timeline.add("job processing after " + ready / 1000 + " s");

            // fault 1: SIGKILL, down 8 s, restart on the same address and data
            long mark = KafkaTopics.endOffsets(broker().bootstrapServers(), detectionsTopic);
            long down0 = System.nanoTime();
            broker().kill();
            Thread.sleep(8_000);
            broker().restart();
            long killedMs = (System.nanoTime() - down0) / 1_000_000;
            long recovered1 =
                    awaitGrowth(
                            "detections",
                            () ->
                                    KafkaTopics.endOffsets(
                                            broker().bootstrapServers(), detectionsTopic),
                            mark,
                            40);
            timeline.add(
                    "t="
                            + elapsed.getAsLong()
                            + " s: SIGKILL, down "
                            + killedMs
                            + " ms, outputs growing again "
                            + recovered1
                            + " ms after restart");

            // fault 2: SIGTERM (controlled shutdown), down 5 s, restart
            long stoppedMs = 0;
            if (alsoStop) {
                mark = KafkaTopics.endOffsets(broker().bootstrapServers(), detectionsTopic);
                down0 = System.nanoTime();
                broker().stop();
                Thread.sleep(5_000);
                broker().restart();
                stoppedMs = (System.nanoTime() - down0) / 1_000_000;
                long recovered2 =
                        awaitGrowth(
                                "detections",
                                () ->
                                        KafkaTopics.endOffsets(
                                                broker().bootstrapServers(), detectionsTopic),
                                mark,
                                40);
                timeline.add(
                        "t="
                                + elapsed.getAsLong()
                                + " s: SIGTERM, down "
                                + stoppedMs
                                + " ms, outputs growing again "
                                + recovered2
                                + " ms after restart");
            }

            Thread.sleep(5_000);
            publisher.finish(publishing);
            // one frame per camera far enough ahead that its last window fires (each camera's
            // windows follow its own capture times); they are published and processed like any
            // frame, and their own window never closes
            byte[] jpeg = frames.get(0).jpeg();
            long flushTs = publisher.maxTs.get() + 3 * WINDOW_MS;
            for (String camera : publisher.cameras()) {
                publisher.send(
                        WireRecords.frame(in, camera, FLUSH_SEQ, flushTs, jpeg), camera, FLUSH_SEQ);
            }
            publisher.producer.flush();
            assertThat(publisher.errors).as("frames the test producer could not send").isEmpty();

            List<Sent> sent = publisher.sent;
            Set<String> sentKeys = new java.util.HashSet<>();
            sent.forEach(s -> sentKeys.add(s.key()));
            assertThat(sentKeys).hasSize(sent.size());
            assertThat(publisher.acked).isEqualTo(sentKeys);
            String bootstrap = broker().bootstrapServers();

            // --- input: every frame once (the idempotent producer did not duplicate) ---
            List<ConsumerRecord<byte[], byte[]>> input =
                    KafkaTopics.read(
                            bootstrap,
                            in,
                            sent.size(),
                            Duration.ofSeconds(60),
                            Duration.ofSeconds(1),
                            false);
            Map<String, Integer> inputCopies = new HashMap<>();
            for (var r : input) {
                String camera = new String(r.key());
                String seq = WireRecords.header(r.headers(), FrameWire.HEADER_SEQ);
                inputCopies.merge(camera + "/" + seq, 1, Integer::sum);
            }
            assertThat(inputCopies.keySet()).isEqualTo(sentKeys);
            assertThat(input).as("input records").hasSize(sent.size());

            // --- detections, read_committed: one per frame ---
            List<ConsumerRecord<byte[], byte[]>> detectionRecords =
                    KafkaTopics.read(
                            bootstrap,
                            detectionsTopic,
                            sent.size(),
                            Duration.ofSeconds(180),
                            Duration.ofSeconds(3),
                            true);
            DetectionsJson detectionsJson = new DetectionsJson();
            Map<String, Integer> detectionCopies = new HashMap<>();
            for (var r : detectionRecords) {
                FrameDetections d = detectionsJson.read(r.value()).detections();
                detectionCopies.merge(d.camera() + "/" + d.seq(), 1, Integer::sum);
            }
            long duplicatedDetections =
                    detectionCopies.values().stream().mapToLong(n -> n - 1).sum();
            Set<String> missing = new java.util.TreeSet<>(sentKeys);
            missing.removeAll(detectionCopies.keySet());

            // --- stats, read_committed: every window of every camera once, counts add up ---
            Map<String, Map<Long, Long>> expectedWindows = new TreeMap<>();
            for (Sent s : sent) {
                if (s.seq() != FLUSH_SEQ) {
                    expectedWindows
                            .computeIfAbsent(s.camera(), c -> new TreeMap<>())
                            .merge(s.ts() - s.ts() % WINDOW_MS, 1L, Long::sum);
                }
            }
            int windows = expectedWindows.values().stream().mapToInt(Map::size).sum();
            List<ConsumerRecord<byte[], byte[]>> statsRecords =
                    KafkaTopics.read(
                            bootstrap,
                            statsTopic,
                            windows,
                            Duration.ofSeconds(120),
                            Duration.ofSeconds(3),
                            true);
            StatsJson statsJson = new StatsJson();
            Map<String, Map<Long, Long>> actualWindows = new TreeMap<>();
            long duplicatedWindows = 0;
            long dropped = 0;
            for (var r : statsRecords) {
                WindowStats s = statsJson.read(r.value());
                if (s.windowStart() + WINDOW_MS > flushTs) {
                    continue; // the flush frames' own windows (closed when quiet, if at all)
                }
                dropped += s.dropped();
                Long before =
                        actualWindows
                                .computeIfAbsent(s.camera(), c -> new TreeMap<>())
                                .put(s.windowStart(), s.frames() + s.dropped());
                if (before != null) {
                    duplicatedWindows++;
                }
            }
            long framesInWindows =
                    actualWindows.values().stream()
                            .flatMap(m -> m.values().stream())
                            .mapToLong(Long::longValue)
                            .sum();
            long realFrames = sent.stream().filter(s -> s.seq() != FLUSH_SEQ).count();

            // --- dead letters: none; annotated frames (at-least-once): every frame there ---
            List<ConsumerRecord<byte[], byte[]>> dlq =
                    KafkaTopics.read(
                            bootstrap,
                            dlqTopic,
                            1,
                            Duration.ofSeconds(10),
                            Duration.ofSeconds(1),
                            false);
            List<ConsumerRecord<byte[], byte[]>> annotatedRecords =
                    KafkaTopics.read(
                            bootstrap,
                            annotatedTopic,
                            sent.size(),
                            Duration.ofSeconds(60),
                            Duration.ofSeconds(1),
                            false);
            Map<String, Integer> annotatedCopies = new HashMap<>();
            for (var r : annotatedRecords) {
                AnnotatedFrame a = WireRecords.annotated(r);
                annotatedCopies.merge(a.camera() + "/" + a.seq(), 1, Integer::sum);
            }

            JobStatus status = job.getJobStatus().get(10, TimeUnit.SECONDS);
            long restarts = numRestarts(job);
            long late = lateFrames(job);
            long lost = missing.size() + Math.max(0, realFrames - framesInWindows);
            long duplicated = duplicatedDetections + duplicatedWindows;
            String notes =
                    String.format(
                            "job restarts %d; late frames %d; broker down %.1f s (SIGKILL) + %.1f s"
                                    + " (SIGTERM);"
                                    + " %d windows of %d cameras, %d duplicated; %d flush frames"
                                    + " included; annotated (at-least-once) copies %d",
                            restarts,
                            late,
                            killedMs / 1000.0,
                            stoppedMs / 1000.0,
                            windows,
                            expectedWindows.size(),
                            duplicatedWindows,
                            publisher.cameras().size(),
                            annotatedRecords.size());
            System.out.println(
                    scenario
                            + " timeline:\n  "
                            + String.join("\n  ", timeline)
                            + "\n  published "
                            + sent.size()
                            + " (real "
                            + realFrames
                            + "), detections "
                            + detectionRecords.size()
                            + ", frames in windows "
                            + framesInWindows
                            + ", dlq "
                            + dlq.size()
                            + ", restarts "
                            + restarts
                            + ", late frames "
                            + late);
            new ReliabilityReport(
                            scenario,
                            faults,
                            sent.size(),
                            detectionCopies.size(),
                            dropped,
                            dlq.size(),
                            duplicated,
                            lost,
                            notes)
                    .write();

            assertThat(status)
                    .as("job still running, never resubmitted")
                    .isEqualTo(JobStatus.RUNNING);
            assertThat(missing).as("frames without a detections record").isEmpty();
            assertThat(duplicatedDetections).as("duplicated detections records").isZero();
            assertThat(detectionRecords).hasSize(sent.size());
            assertThat(duplicatedWindows).as("duplicated stats windows").isZero();
            assertThat(dropped).as("no drop policy: nothing dropped").isZero();
            assertThat(actualWindows).isEqualTo(expectedWindows);
            assertThat(framesInWindows).isEqualTo(realFrames);
            assertThat(dlq).as("dead letters").isEmpty();
            assertThat(annotatedCopies.keySet()).isEqualTo(sentKeys);
            return restarts;
        } finally {
            publisher.stop.set(true);
            publishing.join(10_000);
            publisher.close();
            if (!job.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState()) {
                job.cancel().get(60, TimeUnit.SECONDS);
            }
        }
    }
}
