package io.frameflow.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.connectors.sink.SinkOptions;
import io.frameflow.connectors.source.SourceOptions;
import io.frameflow.records.DeadLetter;
import io.frameflow.records.json.WireRecords;
import io.frameflow.testkit.EmbeddedKafkaBroker;
import io.frameflow.testkit.FlinkTestCluster;
import io.frameflow.testkit.HostileCorpus;
import io.frameflow.testkit.HostileCorpus.HostileRecord;
import io.frameflow.testkit.KafkaTopics;
import io.frameflow.testkit.ReliabilityReport;
import io.frameflow.testkit.SharedFrames;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.metrics.MetricNames;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 8, bad input: 1,000 hostile records of 34 kinds mixed into the 99 real frames go through
 * the source -> validator -> exactly-once sinks pipeline on a MiniCluster (parallelism 2) against a
 * real broker. Every record the broker accepted is either on the output topic (byte-identical) or
 * on the DLQ with the reason the corpus expects, nothing is lost or duplicated, and the job never
 * restarts. Prints the reconciliation table (docs/reliability.md).
 */
class HostileInputITCase {

    private static final int PARALLELISM = 2;
    private static final int HOSTILE = 1000;
    private static final long SEED = 20261122L;

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final FlinkTestCluster<EmbeddedKafkaBroker> CLUSTER =
            FlinkTestCluster.withSharedBroker()
                    .slots(PARALLELISM)
                    .configuration(REPORTER.addToConfiguration(new Configuration()))
                    .build();

    private static EmbeddedKafkaBroker broker() {
        return CLUSTER.broker();
    }

    /** What happened to one corpus record on produce: where it landed, or the error. */
    private record Sent(HostileRecord record, RecordMetadata ack, Throwable error) {

        String produceOutcome() {
            if (ack != null) {
                return "accepted";
            }
            return error instanceof IllegalArgumentException
                    ? HostileCorpus.REJECTED_BY_CLIENT
                    : HostileCorpus.REJECTED_BY_BROKER;
        }
    }

    /** One kind's row of the summary table. */
    private static final class Row {
        int published;
        int rejectedOnProduce;
        int frames;
        final Map<String, Integer> deadLetters = new TreeMap<>();
        int lost;
        int duplicated;
        int wrongOutcome;
    }

    @Test
    void everyHostileRecordIsPassedOrDeadLetteredWithItsReasonAndTheJobNeverRestarts()
            throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String in = "hostile-in-" + id;
        String out = "hostile-out-" + id;
        String dlq = "hostile-dlq-" + id;
        broker().createTopics(PARALLELISM, in, out, dlq);

        List<HostileRecord> corpus =
                HostileCorpus.mixedTraffic(
                        SEED, SharedFrames.load(), System.currentTimeMillis(), HOSTILE);
        List<Sent> sent = publish(in, corpus);

        StreamExecutionEnvironment env = TestEnvironments.kryoFree();
        env.setParallelism(PARALLELISM);
        env.enableCheckpointing(500);
        PassThroughITCase.buildPassThrough(
                env,
                SourceOptions.of(broker().bootstrapServers(), in, "hostile-" + id),
                SinkOptions.exactlyOnce(broker().bootstrapServers(), out, "hostile-" + id),
                SinkOptions.exactlyOnce(broker().bootstrapServers(), dlq, "hostile-" + id));
        JobClient job = env.executeAsync("hostile input " + id);
        try {
            int expectedFrames = count(sent, HostileCorpus.FRAME);
            int expectedDeadLetters =
                    (int)
                            sent.stream()
                                    .filter(s -> s.record().expected().startsWith("dlq:"))
                                    .count();
            List<ConsumerRecord<byte[], byte[]>> frameRecords =
                    KafkaTopics.read(
                            broker().bootstrapServers(),
                            out,
                            expectedFrames,
                            Duration.ofSeconds(90),
                            Duration.ofSeconds(3),
                            true);
            List<ConsumerRecord<byte[], byte[]>> dlqRecords =
                    KafkaTopics.read(
                            broker().bootstrapServers(),
                            dlq,
                            expectedDeadLetters,
                            Duration.ofSeconds(60),
                            Duration.ofSeconds(2),
                            true);

            Map<String, Row> rows = reconcile(sent, frameRecords, dlqRecords, in);
            long restarts = numRestarts(job);
            printTable(rows, restarts);

            Row total = total(rows);
            int deadLettered = total.deadLetters.values().stream().mapToInt(i -> i).sum();
            new ReliabilityReport(
                            "hostile-input",
                            HOSTILE + " hostile records of 34 kinds among real frames",
                            total.published - total.rejectedOnProduce,
                            total.frames,
                            0,
                            deadLettered,
                            total.duplicated,
                            total.lost,
                            total.rejectedOnProduce
                                    + " more refused by the broker/client on produce; job restarts: "
                                    + restarts)
                    .write();
            assertThat(total.published).isEqualTo(corpus.size());
            assertThat(total.wrongOutcome).as("records with an unexpected outcome").isZero();
            assertThat(total.lost).as("lost").isZero();
            assertThat(total.duplicated).as("duplicated").isZero();
            assertThat(frameRecords).hasSize(expectedFrames);
            assertThat(dlqRecords).hasSize(expectedDeadLetters);
            assertThat(restarts).as("job restarts").isZero();
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            assertThat(deadLetterCounters(job)).isEqualTo(total.deadLetters);
        } finally {
            job.cancel().get();
        }
    }

    /**
     * Sends each record on its own (one record per request, waiting for its ack), so a record the
     * broker refuses fails alone and its error is attributed to it.
     */
    private static List<Sent> publish(String topic, List<HostileRecord> corpus)
            throws InterruptedException {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker().bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // above the broker's 16 MiB message.max.bytes, so the broker (not the client) refuses
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 32 * 1024 * 1024);
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        List<Sent> sent = new ArrayList<>();
        try (var producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (HostileRecord h : corpus) {
                ProducerRecord<byte[], byte[]> p;
                try {
                    p = h.toProducerRecord(topic);
                } catch (IllegalArgumentException e) {
                    sent.add(new Sent(h, null, e));
                    continue;
                }
                try {
                    sent.add(new Sent(h, producer.send(p).get(), null));
                } catch (ExecutionException e) {
                    sent.add(new Sent(h, null, e.getCause()));
                }
            }
        }
        for (Sent s : sent) {
            if (s.error() != null && !(s.error() instanceof IllegalArgumentException)) {
                // only the two refusals the corpus predicts, nothing transient
                assertThat(s.error())
                        .as(s.record().toString())
                        .isInstanceOfAny(
                                InvalidTimestampException.class, RecordTooLargeException.class);
            }
        }
        return sent;
    }

    private static Map<String, Row> reconcile(
            List<Sent> sent,
            List<ConsumerRecord<byte[], byte[]>> frameRecords,
            List<ConsumerRecord<byte[], byte[]>> dlqRecords,
            String inputTopic) {
        Map<String, Row> rows = new TreeMap<>();
        Map<String, ArrayDeque<Sent>> framesByIdentity = new HashMap<>();
        Map<String, Sent> byOffset = new HashMap<>();
        for (Sent s : sent) {
            Row row = rows.computeIfAbsent(s.record().kind(), k -> new Row());
            row.published++;
            if (s.ack() == null) {
                row.rejectedOnProduce++;
                if (!s.produceOutcome().equals(s.record().expected())) {
                    row.wrongOutcome++;
                }
                continue;
            }
            byOffset.put(s.ack().partition() + "@" + s.ack().offset(), s);
            if (s.record().expected().equals(HostileCorpus.FRAME)) {
                framesByIdentity
                        .computeIfAbsent(identity(s.record()), k -> new ArrayDeque<>())
                        .add(s);
            }
        }
        // frames carry no source offset: match them by camera, seq, timestamp and content
        for (ConsumerRecord<byte[], byte[]> r : frameRecords) {
            String seq = WireRecords.header(r.headers(), "seq");
            String identity =
                    identity(
                            new String(r.key(), StandardCharsets.UTF_8),
                            seq,
                            r.timestamp(),
                            r.value());
            ArrayDeque<Sent> waiting = framesByIdentity.get(identity);
            if (waiting == null || waiting.isEmpty()) {
                // a frame nobody published as a frame, or one too many
                String kind = waiting == null ? "unknown" : "duplicate";
                rows.computeIfAbsent(kind, k -> new Row()).duplicated++;
                continue;
            }
            rows.get(waiting.poll().record().kind()).frames++;
        }
        framesByIdentity.values().forEach(q -> q.forEach(s -> rows.get(s.record().kind()).lost++));

        Map<String, Integer> dlqSeen = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : dlqRecords) {
            DeadLetter d = WireRecords.deadLetter(r);
            String where = d.sourcePartition() + "@" + d.sourceOffset();
            Sent s = byOffset.get(where);
            assertThat(d.sourceTopic()).isEqualTo(inputTopic);
            if (s == null) {
                rows.computeIfAbsent("unknown", k -> new Row()).duplicated++;
                continue;
            }
            Row row = rows.get(s.record().kind());
            if (dlqSeen.merge(where, 1, Integer::sum) > 1) {
                row.duplicated++;
                continue;
            }
            row.deadLetters.merge(d.reasonCode(), 1, Integer::sum);
            if (!("dlq:" + d.reasonCode()).equals(s.record().expected())) {
                row.wrongOutcome++;
                System.out.printf("UNEXPECTED %s -> %s%n", s.record(), d.reason());
            }
            // the dead letter keeps the original bytes
            assertThat(d.key()).isEqualTo(s.record().key());
            assertThat(d.value()).isEqualTo(s.record().value());
        }
        for (Sent s : byOffset.values()) {
            String where = s.ack().partition() + "@" + s.ack().offset();
            if (s.record().expected().startsWith("dlq:") && !dlqSeen.containsKey(where)) {
                rows.get(s.record().kind()).lost++;
            }
            if (!s.record().reachesConsumers()) {
                // the broker took a record the corpus expected it to refuse
                rows.get(s.record().kind()).wrongOutcome++;
            }
        }
        return rows;
    }

    private static String identity(HostileRecord h) {
        return identity(h.camera(), h.headers().get("seq"), h.timestamp(), h.value());
    }

    private static String identity(String camera, String seq, long ts, byte[] value) {
        return camera + "|" + seq + "|" + ts + "|" + sha256(value);
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int count(List<Sent> sent, String expected) {
        return (int)
                sent.stream()
                        .filter(s -> s.ack() != null && s.record().expected().equals(expected))
                        .count();
    }

    private static Row total(Map<String, Row> rows) {
        Row t = new Row();
        for (Row r : rows.values()) {
            t.published += r.published;
            t.rejectedOnProduce += r.rejectedOnProduce;
            t.frames += r.frames;
            r.deadLetters.forEach((k, v) -> t.deadLetters.merge(k, v, Integer::sum));
            t.lost += r.lost;
            t.duplicated += r.duplicated;
            t.wrongOutcome += r.wrongOutcome;
        }
        return t;
    }

    private static void printTable(Map<String, Row> rows, long restarts) {
        StringBuilder sb = new StringBuilder();
        sb.append("\nHostile input reconciliation (seed ").append(SEED).append(")\n\n");
        sb.append(
                "| kind | published | refused on produce | frames out | dead-lettered (reason) |"
                        + " lost | duplicated | unexpected outcome |\n");
        sb.append("|---|---:|---:|---:|---|---:|---:|---:|\n");
        rows.forEach((kind, r) -> sb.append(line(kind, r)));
        sb.append(line("**total**", total(rows)));
        sb.append("\nJob restarts: ").append(restarts).append('\n');
        System.out.println(sb);
    }

    private static String line(String kind, Row r) {
        List<String> dl = new ArrayList<>();
        r.deadLetters.forEach((k, v) -> dl.add(v + " " + k));
        return String.format(
                "| %s | %d | %d | %d | %s | %d | %d | %d |%n",
                kind,
                r.published,
                r.rejectedOnProduce,
                r.frames,
                dl.isEmpty() ? "0" : String.join(", ", dl),
                r.lost,
                r.duplicated,
                r.wrongOutcome);
    }

    /** The job's numRestarts gauge (fails if the metric is missing). */
    private static long numRestarts(JobClient job) {
        Long restarts = null;
        for (Map.Entry<String, Metric> e :
                REPORTER.getMetricsByIdentifiers(job.getJobID()).entrySet()) {
            if (e.getKey().endsWith("." + MetricNames.NUM_RESTARTS)
                    && e.getValue() instanceof Gauge<?> g) {
                restarts = ((Number) g.getValue()).longValue();
            }
        }
        assertThat(restarts).as("numRestarts metric of the job").isNotNull();
        return restarts;
    }

    /** frameflow / reason=<code> / dead_letters, summed over subtasks, non-zero ones only. */
    private static Map<String, Integer> deadLetterCounters(JobClient job) {
        Map<String, Integer> byReason = new TreeMap<>();
        for (Map.Entry<String, Metric> e :
                REPORTER.getMetricsByIdentifiers(job.getJobID()).entrySet()) {
            String name = e.getKey();
            int at = name.indexOf(".frameflow.reason.");
            if (at >= 0 && name.endsWith(".dead_letters")) {
                String code =
                        name.substring(
                                at + ".frameflow.reason.".length(),
                                name.length() - ".dead_letters".length());
                long n = ((Counter) e.getValue()).getCount();
                if (n > 0) {
                    byReason.merge(code, (int) n, Integer::sum);
                }
            }
        }
        return byReason;
    }
}
