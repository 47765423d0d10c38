package io.frameflow.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.connectors.BadRecords.BadRecord;
import io.frameflow.connectors.sink.FrameSinks;
import io.frameflow.connectors.sink.SinkOptions;
import io.frameflow.connectors.source.FrameSources;
import io.frameflow.connectors.source.SourceOptions;
import io.frameflow.connectors.source.SplitDeadLetters;
import io.frameflow.connectors.source.ValidatedRecord;
import io.frameflow.records.DeadLetter;
import io.frameflow.records.Frame;
import io.frameflow.records.json.WireRecords;
import io.frameflow.records.wire.RejectReason;
import io.frameflow.testkit.EmbeddedKafkaBroker;
import io.frameflow.testkit.FlinkTestCluster;
import io.frameflow.testkit.KafkaTopics;
import io.frameflow.testkit.SharedFrames;
import io.frameflow.testkit.SharedFrames.SharedFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 2's acceptance: the 99 real frames and 10 malformed records go through a pass-through job
 * (KafkaSource, validator, KafkaSink for frames and for dead letters) on a MiniCluster against a
 * real embedded broker. Every frame comes back byte-identical with key, timestamp and seq; every
 * bad record lands on the DLQ with its own reason and its original bytes; the job keeps running.
 */
class PassThroughITCase {

    private static final int PARALLELISM = 2;
    private static final long FRAME_INTERVAL_MS = 100;

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final FlinkTestCluster<EmbeddedKafkaBroker> CLUSTER =
            FlinkTestCluster.withSharedBroker()
                    .slots(PARALLELISM)
                    .configuration(REPORTER.addToConfiguration(new Configuration()))
                    .build();

    private static List<SharedFrame> frames;

    private static EmbeddedKafkaBroker broker() {
        return CLUSTER.broker();
    }

    @BeforeAll
    static void loadFrames() throws Exception {
        frames = SharedFrames.load();
        assertThat(frames).hasSize(99);
    }

    /** What was published: the good frames by camera/seq, the bad records by where they landed. */
    private record Published(
            Map<String, SharedFrame> frames, Map<String, BadRecord> bad, long baseTs) {}

    @Test
    void framesComeBackByteIdenticalAndBadRecordsLandOnTheDlqWhileTheJobKeepsRunning()
            throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String in = "pt-in-" + id;
        String out = "pt-out-" + id;
        String dlq = "pt-dlq-" + id;
        broker().createTopics(PARALLELISM, in, out, dlq);
        Published published = publish(in);

        StreamExecutionEnvironment env = TestEnvironments.kryoFree();
        env.setParallelism(PARALLELISM);
        env.enableCheckpointing(500);
        buildPassThrough(
                env,
                SourceOptions.of(broker().bootstrapServers(), in, "pt-" + id),
                sinkOptions(out, "pt-" + id),
                sinkOptions(dlq, "pt-" + id));
        JobClient job = env.executeAsync("pass-through " + id);
        try {
            List<ConsumerRecord<byte[], byte[]>> frameRecords =
                    KafkaTopics.read(
                            broker().bootstrapServers(),
                            out,
                            frames.size(),
                            Duration.ofSeconds(120),
                            Duration.ofSeconds(2),
                            true);
            List<ConsumerRecord<byte[], byte[]>> dlqRecords =
                    KafkaTopics.read(
                            broker().bootstrapServers(),
                            dlq,
                            10,
                            Duration.ofSeconds(60),
                            Duration.ofSeconds(1),
                            true);

            assertFramesIdentical(frameRecords, published);
            assertDeadLetters(dlqRecords, published, in);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            assertDeadLetterCounters(job);
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void aBoundedSourceStopsAtTheEndOffsetsAndTheJobFinishes() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String in = "ptb-in-" + id;
        String out = "ptb-out-" + id;
        String dlq = "ptb-dlq-" + id;
        broker().createTopics(PARALLELISM, in, out, dlq);
        Published published = publish(in);

        StreamExecutionEnvironment env = TestEnvironments.kryoFree();
        env.setParallelism(PARALLELISM);
        buildPassThrough(
                env,
                SourceOptions.of(broker().bootstrapServers(), in, "ptb-" + id)
                        .withBoundedToLatest(true),
                SinkOptions.atLeastOnce(broker().bootstrapServers(), out),
                SinkOptions.atLeastOnce(broker().bootstrapServers(), dlq));
        // returns only when every source split reached its end offset
        env.execute("bounded pass-through " + id);

        List<ConsumerRecord<byte[], byte[]>> frameRecords =
                KafkaTopics.read(
                        broker().bootstrapServers(),
                        out,
                        frames.size(),
                        Duration.ofSeconds(30),
                        Duration.ofMillis(500),
                        true);
        assertFramesIdentical(frameRecords, published);
        assertDeadLetters(
                KafkaTopics.read(
                        broker().bootstrapServers(),
                        dlq,
                        10,
                        Duration.ofSeconds(30),
                        Duration.ofMillis(500),
                        true),
                published,
                in);
    }

    /** EXACTLY_ONCE: the outputs are read back with read_committed. */
    private static SinkOptions sinkOptions(String topic, String transactionalIdPrefix) {
        return SinkOptions.exactlyOnce(broker().bootstrapServers(), topic, transactionalIdPrefix);
    }

    /** KafkaSource, then validator split, then one sink for frames and one for dead letters. */
    static void buildPassThrough(
            StreamExecutionEnvironment env,
            SourceOptions source,
            SinkOptions frameSink,
            SinkOptions dlqSink) {
        DataStream<ValidatedRecord> records =
                env.fromSource(
                                FrameSources.kafka(source),
                                WatermarkStrategy.noWatermarks(),
                                "frames source")
                        .uid("frames-source");
        SingleOutputStreamOperator<Frame> valid =
                records.process(new SplitDeadLetters())
                        .uid("split-dead-letters")
                        .name("validate frames");
        valid.sinkTo(FrameSinks.frames(frameSink)).uid("frames-sink").name("frames sink");
        valid.getSideOutput(SplitDeadLetters.DEAD_LETTERS)
                .sinkTo(FrameSinks.deadLetters(dlqSink))
                .uid("dlq-sink")
                .name("dead-letter sink");
    }

    /**
     * Publishes the frames interleaved across cameras (timestamp = base + seq * 100 ms) with one
     * bad record after every tenth good one.
     */
    private static Published publish(String topic) throws Exception {
        long baseTs = System.currentTimeMillis() - 60_000;
        List<BadRecord> bad = BadRecords.all(topic, "classroom", baseTs + 5);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        List<Object> sent = new ArrayList<>();
        int nextBad = 0;
        for (SharedFrame f : SharedFrames.interleaved(frames)) {
            records.add(
                    WireRecords.frame(
                            topic,
                            f.camera(),
                            f.seq(),
                            baseTs + f.seq() * FRAME_INTERVAL_MS,
                            f.jpeg()));
            sent.add(f);
            if (records.size() % 10 == 0 && nextBad < bad.size()) {
                records.add(bad.get(nextBad).record());
                sent.add(bad.get(nextBad++));
            }
        }
        while (nextBad < bad.size()) {
            records.add(bad.get(nextBad).record());
            sent.add(bad.get(nextBad++));
        }
        List<RecordMetadata> acks = KafkaTopics.publish(broker().bootstrapServers(), records);
        Map<String, SharedFrame> good = new HashMap<>();
        Map<String, BadRecord> badByOffset = new HashMap<>();
        for (int i = 0; i < sent.size(); i++) {
            if (sent.get(i) instanceof SharedFrame f) {
                good.put(f.camera() + "/" + f.seq(), f);
            } else {
                badByOffset.put(
                        acks.get(i).partition() + "@" + acks.get(i).offset(),
                        (BadRecord) sent.get(i));
            }
        }
        assertThat(good).hasSize(99);
        assertThat(badByOffset).hasSize(10);
        return new Published(good, badByOffset, baseTs);
    }

    private static void assertFramesIdentical(
            List<ConsumerRecord<byte[], byte[]>> records, Published published) {
        assertThat(records).as("frames on the output topic").hasSize(published.frames().size());
        Map<String, List<Long>> seqsByCamera = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String camera = new String(r.key(), StandardCharsets.UTF_8);
            long seq = Long.parseLong(WireRecords.header(r.headers(), "seq"));
            SharedFrame sent = published.frames().get(camera + "/" + seq);
            assertThat(sent).as("frame %s/%d was published", camera, seq).isNotNull();
            assertThat(r.value()).as(sent.fileName()).isEqualTo(sent.jpeg());
            assertThat(r.timestamp())
                    .as(sent.fileName())
                    .isEqualTo(published.baseTs() + seq * FRAME_INTERVAL_MS);
            assertThat(WireRecords.header(r.headers(), "content-type")).isEqualTo("image/jpeg");
            seqsByCamera.computeIfAbsent(camera, c -> new ArrayList<>()).add(seq);
        }
        assertThat(seqsByCamera).hasSize(6);
        // one camera's frames stay in one partition, in order
        seqsByCamera.forEach(
                (camera, seqs) -> assertThat(seqs).as(camera).isSorted().doesNotHaveDuplicates());
    }

    private static void assertDeadLetters(
            List<ConsumerRecord<byte[], byte[]>> records, Published published, String inputTopic) {
        assertThat(records).as("records on the DLQ").hasSize(10);
        List<String> codes = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            DeadLetter d = WireRecords.deadLetter(r);
            BadRecord sent = published.bad().get(d.sourcePartition() + "@" + d.sourceOffset());
            assertThat(sent)
                    .as("dead letter %s points at a published bad record", d.reason())
                    .isNotNull();
            assertThat(d.sourceTopic()).isEqualTo(inputTopic);
            assertThat(d.reasonCode()).as(d.reason()).isEqualTo(sent.expected().code());
            assertThat(d.key()).isEqualTo(sent.record().key());
            assertThat(d.value()).isEqualTo(sent.record().value());
            assertThat(r.timestamp()).isEqualTo(sent.record().timestamp());
            codes.add(d.reasonCode());
        }
        assertThat(codes).doesNotHaveDuplicates().hasSize(10);
    }

    /** frameflow / reason=<code> / dead_letters, summed over the validator's subtasks. */
    private static void assertDeadLetterCounters(JobClient job) {
        Map<String, Long> byReason = new TreeMap<>();
        for (Map.Entry<String, Metric> e :
                REPORTER.getMetricsByIdentifiers(job.getJobID()).entrySet()) {
            String name = e.getKey();
            int at = name.indexOf(".frameflow.reason.");
            if (at >= 0 && name.endsWith(".dead_letters")) {
                String code =
                        name.substring(
                                at + ".frameflow.reason.".length(),
                                name.length() - ".dead_letters".length());
                byReason.merge(code, ((Counter) e.getValue()).getCount(), Long::sum);
            }
        }
        Map<String, Long> expected = new TreeMap<>();
        for (RejectReason r : RejectReason.values()) {
            expected.put(r.code(), 0L);
        }
        for (BadRecord b : BadRecords.all("t", "c", 0)) {
            expected.put(b.expected().code(), 1L);
        }
        assertThat(byReason).isEqualTo(expected);
    }
}
