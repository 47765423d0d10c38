package io.frameflow.job;

import io.frameflow.connectors.source.FrameValidator;
import io.frameflow.records.AnnotatedFrame;
import io.frameflow.records.CameraEvent;
import io.frameflow.records.DeadLetter;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.SiteStats;
import io.frameflow.records.WindowStats;
import io.frameflow.testkit.SharedResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.utils.Utils;

/**
 * One job run of an ITCase that is not about Kafka: the input records, laid out in partitions as
 * Kafka's default partitioner lays them out (by a hash of the camera key), the {@link
 * TestFrameSource} that reads them through the real validator, the {@link CollectingSink}s of the
 * four outputs, and what they collected. The test calls {@link FrameFlowJob#buildPipeline(
 * org.apache.flink.streaming.api.environment.StreamExecutionEnvironment,
 * org.apache.flink.api.connector.source.Source, PipelineSinks)} with {@link #source()} and {@link
 * #sinks()}, the seam {@code main} uses with Kafka.
 *
 * <p>Runs are registered by id in this JVM (the MiniCluster's tasks find their records and their
 * output lists here); {@link #close()} forgets the run.
 */
final class PipelineRun implements AutoCloseable {

    private static final Map<String, PipelineRun> RUNS = new ConcurrentHashMap<>();

    /** A record as the broker would hold it, not read before {@code emitAt} (0: at once). */
    record Input(
            ProducerRecord<byte[], byte[]> record, int partition, long timestamp, long emitAt) {

        /** The record as a consumer would get it at {@code offset} of its partition. */
        ConsumerRecord<byte[], byte[]> asConsumerRecord(int offset) {
            byte[] key = record.key();
            byte[] value = record.value();
            return new ConsumerRecord<>(
                    record.topic(),
                    partition,
                    offset,
                    timestamp,
                    TimestampType.CREATE_TIME,
                    key == null ? -1 : key.length,
                    value == null ? -1 : value.length,
                    key,
                    value,
                    record.headers(),
                    Optional.empty());
        }
    }

    private final String id;
    private final int partitions;
    private final List<List<Input>> inputs = new ArrayList<>();
    private final FrameValidator validator = new FrameValidator(); // the job's default limits
    private final Map<Class<?>, List<Object>> outputs = new ConcurrentHashMap<>();
    private boolean bounded = true;

    private PipelineRun(String name, int partitions) {
        this.id = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.partitions = partitions;
        for (int p = 0; p < partitions; p++) {
            inputs.add(Collections.synchronizedList(new ArrayList<>()));
        }
    }

    /** A new run whose input has {@code partitions} partitions (the source's splits). */
    static PipelineRun create(String name, int partitions) {
        PipelineRun run = new PipelineRun(name, partitions);
        RUNS.put(run.id, run);
        return run;
    }

    static PipelineRun get(String id) {
        PipelineRun run = RUNS.get(id);
        if (run == null) {
            throw new IllegalStateException("no pipeline run " + id + " (closed?)");
        }
        return run;
    }

    String id() {
        return id;
    }

    /**
     * The common arguments of a job run without Kafka (YOLOX-nano as {@code --model}) followed by
     * {@code extra}, parsed and validated.
     */
    static FrameFlowOptions options(String... extra) {
        List<String> args =
                new ArrayList<>(
                        List.of("--model", SharedResources.model("yolox_nano.onnx").toString()));
        args.addAll(List.of(extra));
        return FrameFlowOptions.fromArgs(args.toArray(String[]::new)).validate();
    }

    /** Adds records, readable at once. */
    PipelineRun add(List<ProducerRecord<byte[], byte[]>> records) {
        records.forEach(r -> add(r, 0));
        return this;
    }

    /**
     * Adds a record that the source does not read before the wall-clock time {@code emitAt} (live
     * traffic); a record without a timestamp gets the time it is added, as a producer's does.
     */
    PipelineRun add(ProducerRecord<byte[], byte[]> record, long emitAt) {
        int partition =
                record.partition() != null
                        ? record.partition()
                        : record.key() == null
                                ? 0
                                : Utils.toPositive(Utils.murmur2(record.key())) % partitions;
        long ts = record.timestamp() != null ? record.timestamp() : System.currentTimeMillis();
        inputs.get(partition).add(new Input(record, partition, ts, emitAt));
        return this;
    }

    /**
     * The source stays open after the last record, like a Kafka topic nothing new arrives on
     * (windows that the watermark has not passed stay open); the test cancels the job.
     */
    PipelineRun stayOpen() {
        bounded = false;
        return this;
    }

    TestFrameSource source() {
        return new TestFrameSource(id, partitions, bounded);
    }

    PipelineSinks sinks() {
        return new PipelineSinks(
                new CollectingSink<>(id, FrameDetections.class),
                new CollectingSink<>(id, AnnotatedFrame.class),
                new CollectingSink<>(id, WindowStats.class),
                new CollectingSink<>(id, CameraEvent.class),
                new CollectingSink<>(id, SiteStats.class),
                new CollectingSink<>(id, DeadLetter.class));
    }

    List<Input> partition(int p) {
        return inputs.get(p);
    }

    FrameValidator validator() {
        return validator;
    }

    <T> void collect(Class<T> type, T element) {
        outputs.computeIfAbsent(type, t -> Collections.synchronizedList(new ArrayList<>()))
                .add(element);
    }

    /** What the sink of {@code type} collected so far. */
    <T> List<T> collected(Class<T> type) {
        List<Object> list = outputs.getOrDefault(type, List.of());
        synchronized (list) {
            return list.stream().map(type::cast).toList();
        }
    }

    /**
     * Waits until the sink of {@code type} has at least {@code expected} elements, then {@code
     * settle} longer to catch extras (duplicates), or until {@code timeout}; returns them all (as
     * {@code KafkaTopics.read} does for a topic).
     */
    <T> List<T> await(Class<T> type, int expected, Duration timeout, Duration settle)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long settleUntil = Long.MAX_VALUE;
        while (System.nanoTime() < Math.min(deadline, settleUntil)) {
            if (collected(type).size() >= expected && settleUntil == Long.MAX_VALUE) {
                settleUntil = System.nanoTime() + settle.toNanos();
            }
            Thread.sleep(100);
        }
        return collected(type);
    }

    @Override
    public void close() {
        RUNS.remove(id);
    }
}
