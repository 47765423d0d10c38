package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.FrameDetections;
import io.frameflow.records.WindowStats;
import io.frameflow.records.json.DetectionsJson;
import io.frameflow.records.json.StatsJson;
import io.frameflow.records.json.WireRecords;
import io.frameflow.records.metrics.FrameFlowMetrics;
import io.frameflow.records.wire.FrameWire;
import io.frameflow.testkit.EmbeddedKafkaBroker;
import io.frameflow.testkit.FlinkTestCluster;
import io.frameflow.testkit.KafkaTopics;
import io.frameflow.testkit.ReliabilityReport;
import io.frameflow.testkit.SharedFrames;
import io.frameflow.testkit.SharedFrames.SharedFrame;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overload (issue 8), the whole job on a MiniCluster against the embedded broker, in three phases
 * of one run so that every rate is relative to what this machine does right now:
 *
 * <ol>
 *   <li><b>capacity</b>: drain a pre-published topic, frames/s end to end and the inference time;
 *   <li><b>drop policy</b>: publish (paced, capture time = send time) at 5x that rate with {@code
 *       --max-frame-age-ms}: p99 latency capture to the detection's arrival in Kafka stays within
 *       the age + one inference time, drops are counted in the window stats and the metric, every
 *       frame is processed or dropped, the checkpointed in-flight frames stay within the async
 *       capacity, heap stays bounded;
 *   <li><b>backpressure</b>: the same rate without a drop policy: the source falls behind (consumer
 *       lag grows, the source task reports backpressure) and every frame comes out once.
 * </ol>
 *
 * Figures are printed and written as reliability rows {@code overload-drop-policy} and {@code
 * overload-backpressure}.
 */
class OverloadITCase {

    private static final PrometheusEndpoint PROMETHEUS = new PrometheusEndpoint();
    private static final double OVERLOAD = 5.0;
    private static final long MAX_FRAME_AGE_MS = 400;
    private static final int ASYNC_CAPACITY = 32;
    private static final int CAPACITY_FRAMES = 150;

    /** Frames per throughput sample of the capacity phase. */
    private static final int CAPACITY_WINDOW = 15;

    private static final long HANDOFF_MS = 100;
    private static final Duration DROP_PHASE = Duration.ofSeconds(12);
    private static final Duration BACKPRESSURE_PHASE = Duration.ofSeconds(8);

    @RegisterExtension
    static final FlinkTestCluster<EmbeddedKafkaBroker> CLUSTER =
            FlinkTestCluster.withSharedBroker()
                    .slots(1)
                    .configuration(PROMETHEUS.reporterConfig())
                    .build();

    @TempDir Path savepoints;

    private EmbeddedKafkaBroker broker;
    private final List<SharedFrame> corpus = SharedFrames.load();
    private final int largestFrame =
            corpus.stream().mapToInt(f -> f.jpeg().length).max().orElseThrow();

    @Test
    void overloadIsShedWithBoundedLatencyOrBackpressuredWithoutLoss(
            @InjectMiniCluster MiniCluster mini) throws Exception {
        broker = CLUSTER.broker();
        long testStart = System.nanoTime();

        // ---- 1. capacity: drain a pre-published topic ----
        JobTopics cap = topics("cap");
        long t0 = System.currentTimeMillis();
        List<org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>> pre =
                new ArrayList<>();
        for (int i = 0; i < CAPACITY_FRAMES; i++) {
            pre.add(frame(cap.frames(), i, t0));
        }
        KafkaTopics.publish(broker.bootstrapServers(), pre);
        StreamExecutionEnvironment env = env(options(cap, 0, "--bounded"));
        env.execute("overload-capacity");
        List<FrameDetections> capDetections = detections(cap, CAPACITY_FRAMES);
        assertThat(capDetections).hasSize(CAPACITY_FRAMES);
        long[] arrivals = arrivalTimes(cap, CAPACITY_FRAMES);
        Arrays.sort(arrivals);
        double capacityFps = medianRate(arrivals, CAPACITY_WINDOW);
        double capInferP50 = percentile(inferenceMs(capDetections), 0.50);
        double capInferP99 = percentile(inferenceMs(capDetections), 0.99);
        double rate = OVERLOAD * capacityFps;
        System.out.printf(
                Locale.ROOT,
                "OVERLOAD capacity: %.1f frames/s end to end (median over windows of %d of %d"
                        + " frames drained; first to last %.1f frames/s), inference"
                        + " p50 %.0f ms p99 %.0f ms -> publishing at %.1f frames/s (%.0fx)%n",
                capacityFps,
                CAPACITY_WINDOW,
                CAPACITY_FRAMES,
                (arrivals.length - 1)
                        * 1000.0
                        / Math.max(1, arrivals[arrivals.length - 1] - arrivals[0]),
                capInferP50,
                capInferP99,
                rate,
                OVERLOAD);

        System.out.printf("OVERLOAD capacity phase done after %.0f s%n", since(testStart));
        dropPolicyPhase(mini, rate, capacityFps);
        System.out.printf("OVERLOAD drop-policy phase done after %.0f s%n", since(testStart));
        backpressurePhase(mini, rate, capacityFps);
        System.out.printf("OVERLOAD backpressure phase done after %.0f s%n", since(testStart));
    }

    private void dropPolicyPhase(MiniCluster mini, double rate, double capacityFps)
            throws Exception {
        JobTopics t = topics("drop");
        long heapBefore = heapAfterGc();
        JobClient job = env(options(t, MAX_FRAME_AGE_MS)).executeAsync("overload-drop-policy");
        jobLabel = "job_name=\"overload_drop_policy\"";
        awaitModelLoaded();
        Published pub = publishPaced(t.frames(), rate, DROP_PHASE, null);
        // everything consumed and accounted for by the job's own counters
        awaitMetric(() -> sumAll(PROMETHEUS.scrape(), FrameFlowMetrics.FRAMES_IN) >= pub.count, 60);
        awaitMetric(
                () -> {
                    String body = PROMETHEUS.scrape();
                    return sumAll(body, FrameFlowMetrics.FRAMES_INFERRED)
                                    + sumAll(body, FrameFlowMetrics.FRAMES_DROPPED)
                                    + sumAll(body, FrameFlowMetrics.DEAD_LETTERS)
                            >= pub.count;
                },
                60);
        long heapLoaded = heapAfterGc();
        String body = PROMETHEUS.scrape();
        long inferredMetric = (long) sumAll(body, FrameFlowMetrics.FRAMES_INFERRED);
        long droppedMetric = (long) sumAll(body, FrameFlowMetrics.FRAMES_DROPPED);
        long droppedAtPolicy =
                (long)
                        sumWhere(
                                body,
                                FrameFlowMetrics.FRAMES_DROPPED,
                                "operator_name=\"Drop_policy");
        long droppedInQueue =
                (long)
                        sumWhere(
                                body,
                                FrameFlowMetrics.FRAMES_DROPPED,
                                "operator_name=\"Inference_results");
        long dlqMetric = (long) sumAll(body, FrameFlowMetrics.DEAD_LETTERS);
        long restarts = (long) sumAll(body, "flink_jobmanager_job_numRestarts");
        CheckpointStatsSnapshot checkpoints = drainAndStop(job, mini);

        List<ConsumerRecord<byte[], byte[]>> records =
                KafkaTopics.read(
                        broker.bootstrapServers(),
                        t.detections(),
                        (int) inferredMetric,
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(2),
                        true);
        DetectionsJson json = new DetectionsJson();
        Set<String> unique = new HashSet<>();
        List<Double> latency = new ArrayList<>();
        List<Double> inference = new ArrayList<>();
        List<Double> toSink = new ArrayList<>();
        List<Double> excess = new ArrayList<>();
        List<Double> sinkToBroker = new ArrayList<>();
        for (var r : records) {
            var m = json.read(r.value());
            FrameDetections d = m.detections();
            unique.add(d.camera() + "/" + d.seq());
            // latencyMs: capture -> handed to the Kafka producer in the sink (the job's clock)
            toSink.add((double) m.latencyMs());
            excess.add(m.latencyMs() - MAX_FRAME_AGE_MS - d.inferenceMs());
            sinkToBroker.add((double) (r.timestamp() - d.captureTs() - m.latencyMs()));
            // LogAppendTime: the broker's clock when the record arrived (same host as the
            // publisher)
            latency.add((double) (r.timestamp() - d.captureTs()));
            inference.add(d.inferenceMs());
        }
        long processed = unique.size();
        long duplicated = records.size() - unique.size();
        long statsDropped = 0;
        long statsFrames = 0;
        double statsLatencyP99Max = 0;
        for (WindowStats s : stats(t)) {
            statsDropped += s.dropped();
            statsFrames += s.frames();
            statsLatencyP99Max = Math.max(statsLatencyP99Max, s.latencyMs().p99());
        }
        long dlq =
                KafkaTopics.read(
                                broker.bootstrapServers(),
                                t.dlq(),
                                (int) dlqMetric,
                                Duration.ofSeconds(10),
                                Duration.ofSeconds(1),
                                false)
                        .size();
        double p50 = percentile(latency, 0.50);
        double p99 = percentile(latency, 0.99);
        double max = percentile(latency, 1.0);
        double sinkP99 = percentile(toSink, 0.99);
        double inferP99 = percentile(inference, 0.99);
        // The deadline is checked when a frame's ORT run starts, so a frame reaches the sink at
        // most max-age + its inference + HANDOFF_MS after capture: after the run, its result
        // crosses from the batcher thread to the task's mailbox, where the task thread may be
        // annotating another frame or taking in the next ones, then passes two small operators.
        // On this shared 2-core box that hand-off is a few scheduler slices; 100 ms covers it,
        // while the queueing this test is about (32 frames in flight x one inference each) is
        // several times more.
        // Since issue 16 each camera's frames leave inference in capture order
        // (CaptureOrderFunction). That adds no term: a frame's predecessor has the earlier
        // deadline, so it starts its run (or expires) no later than this frame's deadline and
        // ends within its own inference time. (A camera's first frames used to wait for the
        // arrival watermark, which lags by the whole inference queue under overload: that
        // showed here as a p99 100-300 ms over the bound, until seq 0 needed no predecessor.)
        double sinkBound = MAX_FRAME_AGE_MS + inferP99 + HANDOFF_MS;
        // To the broker, the record then takes the producer -> broker path every frame took to
        // get in; its p99 is measured in this phase from the publisher's acks, so this part of
        // the tolerance follows the load the box is under right now instead of a fixed guess.
        // It counts twice: the detections sink is transactional, a new transaction starts at
        // every checkpoint (1 s here), and its first records wait for the AddPartitionsToTxn
        // round trip to the coordinator before their own produce request, which at ~25 detections
        // a second is more than 1 % of the records.
        double toleranceMs = HANDOFF_MS + 2 * pub.ackP99Ms;
        double bound = MAX_FRAME_AGE_MS + inferP99 + toleranceMs;
        long stateMax = checkpoints.getSummaryStats().getStateSizeStats().getMaximum();
        long stateBound = (long) ASYNC_CAPACITY * (largestFrame + 1024) + (1 << 20);
        long backlog = pub.count - processed - statsDropped - dlq;
        System.out.printf(
                Locale.ROOT,
                "OVERLOAD drop-policy: published %d at %.1f frames/s (%.1fx capacity %.1f) in %.1f"
                        + " s; processed %d, dropped %d (stats) / %d (metric: %d at the policy,"
                        + " %d aged in the inference queue), dead-lettered %d, duplicated %d,"
                        + " unaccounted %d; latency capture->sink p99 %.0f ms (bound %d + inference"
                        + " p99 %.0f + hand-off %d ="
                        + " %.0f ms); capture->Kafka p50 %.0f p99 %.0f"
                        + " max %.0f ms"
                        + " (bound %d + inference p99 %.0f + tolerance %.0f [hand-off %d + 2"
                        + " x publisher ack p99 %.0f] = %.0f ms; sink -> broker p99 %.0f ms;"
                        + " per frame latency to sink - age - own"
                        + " inference p99 %.0f ms; stats p99 max %.0f ms); checkpoints %d, state max %d bytes (bound %d); heap after GC"
                        + " %d MiB before, %d MiB loaded; restarts %d%n",
                pub.count,
                pub.rate,
                pub.rate / capacityFps,
                capacityFps,
                pub.seconds,
                processed,
                statsDropped,
                droppedMetric,
                droppedAtPolicy,
                droppedInQueue,
                dlq,
                duplicated,
                backlog,
                sinkP99,
                MAX_FRAME_AGE_MS,
                inferP99,
                HANDOFF_MS,
                sinkBound,
                p50,
                p99,
                max,
                MAX_FRAME_AGE_MS,
                inferP99,
                toleranceMs,
                HANDOFF_MS,
                pub.ackP99Ms,
                bound,
                percentile(sinkToBroker, 0.99),
                percentile(excess, 0.99),
                statsLatencyP99Max,
                checkpoints.getCounts().getNumberOfCompletedCheckpoints(),
                stateMax,
                stateBound,
                heapBefore >> 20,
                heapLoaded >> 20,
                restarts);
        new ReliabilityReport(
                        "overload-drop-policy",
                        String.format(
                                Locale.ROOT,
                                "%.1fx capacity (%.0f f/s) for %.0f s, max age %d ms",
                                pub.rate / capacityFps,
                                pub.rate,
                                pub.seconds,
                                MAX_FRAME_AGE_MS),
                        pub.count,
                        processed,
                        statsDropped,
                        dlq,
                        duplicated,
                        Math.max(0, backlog),
                        String.format(
                                Locale.ROOT,
                                "p99 latency to sink %.0f ms <= %.0f (age+inference p99+%d), to"
                                        + " Kafka %.0f <= %.0f (+2 ack p99 %.0f); heap %d->%d MiB;"
                                        + " ckpt state max %d KiB",
                                sinkP99,
                                sinkBound,
                                HANDOFF_MS,
                                p99,
                                bound,
                                pub.ackP99Ms,
                                heapBefore >> 20,
                                heapLoaded >> 20,
                                stateMax >> 10))
                .write();

        assertThat(pub.rate).as("published rate").isGreaterThan(0.8 * OVERLOAD * capacityFps);
        assertThat(restarts).isZero();
        assertThat(duplicated).isZero();
        assertThat(processed).isEqualTo(inferredMetric).isEqualTo(statsFrames);
        assertThat(statsDropped).as("drops in the window stats").isEqualTo(droppedMetric);
        assertThat(processed + statsDropped + dlq).isEqualTo(pub.count);
        // 5x overload: most frames must have been shed
        assertThat(statsDropped).isGreaterThan(pub.count / 2);
        assertThat(sinkP99).as("p99 latency capture -> sink, ms").isLessThanOrEqualTo(sinkBound);
        assertThat(p99).as("p99 latency capture -> Kafka, ms").isLessThanOrEqualTo(bound);
        assertThat(checkpoints.getCounts().getNumberOfCompletedCheckpoints()).isPositive();
        assertThat(stateMax).as("checkpointed state, bytes").isLessThanOrEqualTo(stateBound);
        assertThat(heapLoaded - heapBefore).isLessThan(heapBound());
    }

    private void backpressurePhase(MiniCluster mini, double rate, double capacityFps)
            throws Exception {
        JobTopics t = topics("bp");
        long heapBefore = heapAfterGc();
        JobClient job = env(options(t, 0)).executeAsync("overload-backpressure");
        jobLabel = "job_name=\"overload_backpressure\"";
        awaitModelLoaded();
        // {sent, consumed by the job, source backpressure ms/s, frames in the inference operator}
        List<long[]> samples = new ArrayList<>();
        Published pub =
                publishPaced(
                        t.frames(),
                        rate,
                        BACKPRESSURE_PHASE,
                        sent -> {
                            String body = PROMETHEUS.scrape();
                            samples.add(
                                    new long[] {
                                        sent,
                                        (long) sumAll(body, FrameFlowMetrics.FRAMES_IN),
                                        (long)
                                                maxWhere(
                                                        body,
                                                        "flink_taskmanager_job_task_backPressuredTimeMsPerSecond",
                                                        "task_name=\"Source"),
                                        (long)
                                                maxWhere(
                                                        body,
                                                        FrameFlowMetrics.INFLIGHT_REQUESTS,
                                                        "")
                                    });
                        });
        long heapLoaded = heapAfterGc();
        long[] end = samples.get(samples.size() - 1);
        long[] mid = samples.get(samples.size() / 2);
        long maxInflight = samples.stream().mapToLong(s -> s[3]).max().orElse(0);
        // Flink refreshes backPressuredTimeMsPerSecond every few seconds, so an 8 s phase may see a
        // single refresh that still averages in the calm before it: keep sampling while the backlog
        // drains (the source stays held back by the full inference operator until it catches up)
        long[] maxBackpressure = {samples.stream().mapToLong(s -> s[2]).max().orElse(0)};
        long drainStart = System.nanoTime();
        awaitMetric(
                () -> {
                    String now = PROMETHEUS.scrape();
                    maxBackpressure[0] =
                            Math.max(
                                    maxBackpressure[0],
                                    (long)
                                            maxWhere(
                                                    now,
                                                    "flink_taskmanager_job_task_backPressuredTimeMsPerSecond",
                                                    "task_name=\"Source"));
                    return sumAll(now, FrameFlowMetrics.FRAMES_INFERRED) >= pub.count;
                },
                Math.max(60, (long) (pub.count / capacityFps * 3)));
        double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
        String body = PROMETHEUS.scrape();
        long restarts = (long) sumAll(body, "flink_jobmanager_job_numRestarts");
        long dropped = (long) sumAll(body, FrameFlowMetrics.FRAMES_DROPPED);
        CheckpointStatsSnapshot checkpoints = drainAndStop(job, mini);

        List<ConsumerRecord<byte[], byte[]>> records =
                KafkaTopics.read(
                        broker.bootstrapServers(),
                        t.detections(),
                        (int) pub.count,
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(2),
                        true);
        DetectionsJson json = new DetectionsJson();
        Set<String> unique = new HashSet<>();
        for (var r : records) {
            FrameDetections d = json.read(r.value()).detections();
            unique.add(d.camera() + "/" + d.seq());
        }
        Set<String> expected = new HashSet<>(pub.keys);
        long processed = unique.size();
        long duplicated = records.size() - unique.size();
        expected.removeAll(unique);
        long lost = expected.size();
        long dlq =
                KafkaTopics.read(
                                broker.bootstrapServers(),
                                t.dlq(),
                                0,
                                Duration.ofSeconds(3),
                                Duration.ofSeconds(1),
                                false)
                        .size();
        long stateMax = checkpoints.getSummaryStats().getStateSizeStats().getMaximum();
        long stateBound = (long) ASYNC_CAPACITY * (largestFrame + 1024) + (1 << 20);
        long lagMid = mid[0] - mid[1];
        long lagEnd = end[0] - end[1];
        System.out.printf(
                Locale.ROOT,
                "OVERLOAD backpressure: published %d at %.1f frames/s (%.1fx capacity %.1f) in"
                        + " %.1f s; consumer lag (published - read by the job) %d at mid-phase,"
                        + " %d at the end of publishing; source backpressured up to %d ms/s (while publishing and draining);"
                        + " frames in the inference operator up to %d (capacity %d);"
                        + " drained in %.1f s more; processed %d, dropped %d, dead-lettered %d,"
                        + " duplicated %d, lost %d; checkpoints %d, state max %d bytes (bound %d);"
                        + " heap after GC %d MiB before, %d MiB at the end of publishing;"
                        + " restarts %d%n",
                pub.count,
                pub.rate,
                pub.rate / capacityFps,
                capacityFps,
                pub.seconds,
                lagMid,
                lagEnd,
                maxBackpressure[0],
                maxInflight,
                ASYNC_CAPACITY,
                drainSeconds,
                processed,
                dropped,
                dlq,
                duplicated,
                lost,
                checkpoints.getCounts().getNumberOfCompletedCheckpoints(),
                stateMax,
                stateBound,
                heapBefore >> 20,
                heapLoaded >> 20,
                restarts);
        new ReliabilityReport(
                        "overload-backpressure",
                        String.format(
                                Locale.ROOT,
                                "%.1fx capacity (%.0f f/s) for %.0f s, no drop policy",
                                pub.rate / capacityFps,
                                pub.rate,
                                pub.seconds),
                        pub.count,
                        processed,
                        dropped,
                        dlq,
                        duplicated,
                        lost,
                        String.format(
                                Locale.ROOT,
                                "lag %d->%d frames, source backpressure %d ms/s, drained in %.0f"
                                        + " s; heap %d->%d MiB; ckpt state max %d KiB",
                                lagMid,
                                lagEnd,
                                maxBackpressure[0],
                                drainSeconds,
                                heapBefore >> 20,
                                heapLoaded >> 20,
                                stateMax >> 10))
                .write();

        assertThat(pub.rate).as("published rate").isGreaterThan(0.8 * OVERLOAD * capacityFps);
        assertThat(restarts).isZero();
        // the source fell behind: the backlog stays in Kafka, and it grew while publishing
        assertThat(lagEnd).as("consumer lag at the end").isGreaterThan(pub.count / 3);
        assertThat(lagEnd).as("lag grows").isGreaterThan(lagMid);
        assertThat(maxBackpressure[0]).as("source backpressured ms/s").isGreaterThan(500);
        // the async capacity is what holds the frames back: the operator is full, never over
        assertThat(maxInflight)
                .as("frames in flight")
                .isBetween(ASYNC_CAPACITY / 2L, (long) ASYNC_CAPACITY);
        // and nothing is lost or repeated
        assertThat(dropped).isZero();
        assertThat(dlq).isZero();
        assertThat(duplicated).isZero();
        assertThat(lost).isZero();
        assertThat(processed).isEqualTo(pub.count);
        assertThat(stateMax).as("checkpointed state, bytes").isLessThanOrEqualTo(stateBound);
        assertThat(heapLoaded - heapBefore).isLessThan(heapBound());
    }

    /**
     * What the job may legitimately hold on the heap while overloaded, independent of the backlog:
     * the Kafka source's fetch buffer (fetch.max.bytes, 50 MiB by default) and its hand-over queue
     * (2 polls of up to 500 records), the async operator's capacity, plus the test's own producer
     * buffer (32 MiB by default).
     */
    private long heapBound() {
        return 50L * (1 << 20)
                + 2L * 500 * largestFrame
                + (long) ASYNC_CAPACITY * largestFrame
                + 32L * (1 << 20);
    }

    // ---------------------------------------------------------------- publishing

    /**
     * @param ackP99Ms p99 of send to broker ack of the published frames: how long the producer to
     *     broker path takes on this box at this moment (a detection takes the same path)
     */
    private record Published(
            long count, double rate, double seconds, List<String> keys, double ackP99Ms) {}

    private interface Sampler {
        void sample(long sent) throws Exception;
    }

    /**
     * The {@code i}-th frame published to {@code topic}: the corpus in a loop, each camera
     * numbering its own frames 0, 1, 2, ... as a producer does (the job's capture order relies on
     * that).
     */
    private org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]> frame(
            String topic, long i, long captureTs) {
        SharedFrame f = corpus.get((int) (i % corpus.size()));
        long seq =
                seqs.computeIfAbsent(topic + "/" + f.camera(), k -> new AtomicLong())
                        .getAndIncrement();
        return WireRecords.frame(topic, f.camera(), seq, captureTs, f.jpeg());
    }

    private final Map<String, AtomicLong> seqs = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Sends frames at {@code rate} for {@code duration}, each stamped with the wall clock when it
     * is sent (a live camera's capture time); samples once a second when a sampler is given.
     */
    private Published publishPaced(String topic, double rate, Duration duration, Sampler sampler)
            throws Exception {
        Map<String, Object> props =
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers(),
                        ProducerConfig.LINGER_MS_CONFIG,
                        0,
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                        EmbeddedKafkaBroker.MAX_MESSAGE_BYTES);
        long total = Math.round(rate * duration.toMillis() / 1000.0);
        long periodNanos = Math.round(1e9 / rate);
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<Double> ackMs = java.util.Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        long nextSample = start + 1_000_000_000L;
        try (var producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < total; i++) {
                long due = start + i * periodNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                var record = frame(topic, i, System.currentTimeMillis());
                keys.add(
                        new String(record.key())
                                + "/"
                                + WireRecords.header(record.headers(), FrameWire.HEADER_SEQ));
                long sentAt = System.nanoTime();
                acks.add(
                        producer.send(
                                record, (md, e) -> ackMs.add((System.nanoTime() - sentAt) / 1e6)));
                if (sampler != null && System.nanoTime() >= nextSample) {
                    producer.flush();
                    sampler.sample(i + 1);
                    nextSample += 1_000_000_000L;
                }
            }
            producer.flush();
            if (sampler != null) {
                sampler.sample(total);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        for (Future<RecordMetadata> a : acks) {
            a.get();
        }
        return new Published(total, total / seconds, seconds, keys, percentile(ackMs, 0.99));
    }

    // ---------------------------------------------------------------- job

    private JobTopics topics(String phase) throws Exception {
        String run = phase + "-" + UUID.randomUUID().toString().substring(0, 8);
        JobTopics t =
                JobTopics.of(
                                "ov-frames-" + run,
                                "ov-det-" + run,
                                "ov-ann-" + run,
                                "ov-stats-" + run,
                                "ov-dlq-" + run,
                                "ov-frames-" + run)
                        .createOn(broker, 2);
        // the broker stamps each detection with its arrival time
        try (var admin = broker.admin()) {
            admin.incrementalAlterConfigs(
                            Map.of(
                                    new ConfigResource(ConfigResource.Type.TOPIC, t.detections()),
                                    List.of(
                                            new AlterConfigOp(
                                                    new ConfigEntry(
                                                            "message.timestamp.type",
                                                            "LogAppendTime"),
                                                    AlterConfigOp.OpType.SET))))
                    .all()
                    .get();
        }
        return t;
    }

    private FrameFlowOptions options(JobTopics t, long maxFrameAgeMs, String... extra) {
        List<String> args = t.args(broker.bootstrapServers());
        args.addAll(
                List.of(
                        "--device",
                        "cpu",
                        "--parallelism",
                        "1",
                        "--async-capacity",
                        String.valueOf(ASYNC_CAPACITY),
                        "--max-frame-age-ms",
                        String.valueOf(maxFrameAgeMs),
                        "--checkpoint-interval",
                        "1 s"));
        args.addAll(Arrays.asList(extra));
        return FrameFlowOptions.fromArgs(args.toArray(String[]::new)).validate();
    }

    private StreamExecutionEnvironment env(FrameFlowOptions options) {
        Configuration conf = FrameFlowJob.flinkConfiguration(options);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none"); // any failure fails the test
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        FrameFlowJob.forOptions(options).buildPipeline(env);
        return env;
    }

    private List<FrameDetections> detections(JobTopics t, int expected) throws Exception {
        DetectionsJson json = new DetectionsJson();
        List<FrameDetections> out = new ArrayList<>();
        for (var r :
                KafkaTopics.read(
                        broker.bootstrapServers(),
                        t.detections(),
                        expected,
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(1),
                        true)) {
            out.add(json.read(r.value()).detections());
        }
        return out;
    }

    private long[] arrivalTimes(JobTopics t, int expected) {
        return KafkaTopics.read(
                        broker.bootstrapServers(),
                        t.detections(),
                        expected,
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(1),
                        true)
                .stream()
                .mapToLong(ConsumerRecord::timestamp)
                .toArray();
    }

    private List<WindowStats> stats(JobTopics t) throws Exception {
        StatsJson json = new StatsJson();
        List<WindowStats> out = new ArrayList<>();
        for (var r :
                KafkaTopics.read(
                        broker.bootstrapServers(),
                        t.stats(),
                        1,
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(2),
                        true)) {
            out.add(json.read(r.value()));
        }
        return out;
    }

    private void awaitModelLoaded() throws Exception {
        awaitMetric(() -> sumAll(PROMETHEUS.scrape(), FrameFlowMetrics.MODEL_LOAD_MS) > 0, 60);
        Thread.sleep(1000); // let the source's first poll settle before the clock starts
    }

    // ---------------------------------------------------------------- measuring

    /**
     * Median over sliding windows of {@code window} consecutive arrivals of frames/s: other builds
     * on this shared box stall the job now and then; a stall of a second or two inside the capacity
     * phase would drag a plain first-to-last average down (and with it the "5x" rate, which would
     * then not overload the job). The median window is the speed the job typically runs at.
     */
    private static double medianRate(long[] sortedArrivals, int window) {
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i + window < sortedArrivals.length; i++) {
            long span = Math.max(1, sortedArrivals[i + window] - sortedArrivals[i]);
            rates.add(window * 1000.0 / span);
        }
        return percentile(rates, 0.5);
    }

    private static double since(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static List<Double> inferenceMs(List<FrameDetections> ds) {
        return ds.stream().map(FrameDetections::inferenceMs).toList();
    }

    private static double percentile(List<Double> values, double q) {
        assertThat(values).isNotEmpty();
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int i = (int) Math.ceil(q * v.length) - 1;
        return v[Math.max(0, Math.min(v.length - 1, i))];
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void awaitMetric(Check check, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + seconds + " s");
            }
            Thread.sleep(250);
        }
    }

    /**
     * Stops the job with a draining savepoint (the final watermark fires every window, the
     * savepoint commits the transactions) and returns its checkpoint statistics.
     */
    private CheckpointStatsSnapshot drainAndStop(JobClient job, MiniCluster mini) throws Exception {
        JobID id = job.getJobID();
        job.stopWithSavepoint(true, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(120, TimeUnit.SECONDS);
        return mini.getExecutionGraph(id).get().getCheckpointStatsSnapshot();
    }

    /** The job whose metrics are read: a finished phase's series may linger a moment. */
    private String jobLabel = "";

    /** Sum of a metric over this job's series whose labels contain {@code labelPart}. */
    private double sumWhere(String body, String metric, String labelPart) {
        return PrometheusEndpoint.sum(body, metric, jobLabel, labelPart);
    }

    private double sumAll(String body, String metric) {
        return sumWhere(body, metric, "");
    }

    private double maxWhere(String body, String metric, String labelPart) {
        return PrometheusEndpoint.max(body, metric, jobLabel, labelPart);
    }
}
