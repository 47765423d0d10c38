package io.frameflow.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.testkit.Await;
import io.frameflow.testkit.ForkedKafkaBroker;
import io.frameflow.testkit.KafkaTopics;
import io.frameflow.testkit.ReliabilityReport;
import io.frameflow.testkit.SharedResources;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, broker restart, producer side: {@code produce} plays a real clip in real time (a live
 * camera's pace) while the broker ({@link ForkedKafkaBroker}, fixed address) is killed with SIGKILL
 * and restarted, then stopped with SIGTERM and restarted. Nobody restarts the producer.
 *
 * <p>Two producers run side by side. With the default client settings (acks=all, idempotence,
 * delivery timeout 2 min, 64 MiB buffer) an outage shorter than the delivery timeout loses nothing:
 * every captured frame is on the topic exactly once, in order. With a short delivery timeout (a
 * camera that would rather drop a stale frame than buffer it) the frames it could not deliver are
 * counted as errors in its summary (captured = acked + counted as dropped), every acked frame is on
 * the topic exactly once and every frame missing from it was counted. A delivery timeout leaves the
 * outcome open, so some frames counted as dropped may be on the topic all the same; the row reports
 * how many. That the drops happen during the outage at all shows the grab thread was not blocked in
 * send() (KafkaFrameProducer sets metadata.recovery.strategy=none for that).
 */
class ProducerBrokerRestartITCase {

    private static final Pattern SUMMARY_ROW =
            Pattern.compile(
                    "^(\\S+)\\s+(\\d+)\\s+(\\d+)\\s+[\\d.]+\\s+[\\d.]+\\s+(\\d+)\\s+(\\d+)\\s*$",
                    Pattern.MULTILINE);

    private static ForkedKafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = ForkedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** One camera's row of the producer's summary table. */
    private record SummaryRow(long sent, long published, long errors, long reconnects) {}

    private static SummaryRow summaryRow(String output, String camera) {
        Matcher m = SUMMARY_ROW.matcher(output);
        while (m.find()) {
            if (m.group(1).equals(camera)) {
                return new SummaryRow(
                        Long.parseLong(m.group(2)),
                        Long.parseLong(m.group(3)),
                        Long.parseLong(m.group(4)),
                        Long.parseLong(m.group(5)));
            }
        }
        throw new AssertionError("no summary row for " + camera + " in:\n" + output);
    }

    /** Waits until {@code value} grew by {@code by} from {@code from}; returns the time it took. */
    private static long awaitGrowth(String what, LongSupplier value, long from, long by)
            throws InterruptedException {
        return Await.growth(what, value, from, by, Duration.ofSeconds(120), Duration.ofMillis(250));
    }

    /** Copies System.out to a buffer too, so the summaries of in-process runs can be read. */
    private static final class Tee extends OutputStream {
        private final PrintStream original;
        private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

        Tee(PrintStream original) {
            this.original = original;
        }

        @Override
        public synchronized void write(int b) {
            original.write(b);
            copy.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            original.write(b, off, len);
            copy.write(b, off, len);
        }

        synchronized String text() {
            return copy.toString(StandardCharsets.UTF_8);
        }
    }

    private static CompletableFuture<Integer> produce(String... args) {
        return CompletableFuture.supplyAsync(
                () -> FrameFlowCli.run(args), r -> new Thread(r, "produce-" + args[2]).start());
    }

    @Test
    void producerRidesOutBrokerKillAndStopAndAccountsForEveryFrame() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String steadyTopic = "restart-steady-" + id;
        String impatientTopic = "restart-impatient-" + id;
        broker.createTopics(2, steadyTopic, impatientTopic);
        // 768x432 at 10 fps, 139 s long: played in real time it is a live camera's stream
        Path video = SharedResources.media("video/one-by-one-person-detection.mp4");

        PrintStream originalOut = System.out;
        Tee tee = new Tee(originalOut);
        System.setOut(new PrintStream(tee, true, StandardCharsets.UTF_8));
        CompletableFuture<Integer> steady;
        CompletableFuture<Integer> impatient;
        long killedMs;
        long stoppedMs;
        try {
            String bootstrap = broker.bootstrapServers();
            steady =
                    produce(
                            "produce",
                            "-t",
                            steadyTopic,
                            "-b",
                            bootstrap,
                            "--source",
                            "steady=" + video,
                            "--duration",
                            "45s",
                            "--progress",
                            "log",
                            "--progress-interval",
                            "5s");
            impatient =
                    produce(
                            "produce",
                            "-t",
                            impatientTopic,
                            "-b",
                            bootstrap,
                            "--source",
                            "impatient=" + video,
                            "--duration",
                            "45s",
                            "--progress",
                            "log",
                            "--progress-interval",
                            "5s",
                            "--kafka.delivery.timeout.ms=6000",
                            "--kafka.request.timeout.ms=3000");

            awaitGrowth(
                    "steady topic",
                    () -> KafkaTopics.endOffsets(broker.bootstrapServers(), steadyTopic),
                    0,
                    30);
            long down0 = System.nanoTime();
            broker.kill();
            Thread.sleep(8_000);
            broker.restart();
            killedMs = (System.nanoTime() - down0) / 1_000_000;
            long mark = KafkaTopics.endOffsets(broker.bootstrapServers(), steadyTopic);
            awaitGrowth(
                    "steady topic",
                    () -> KafkaTopics.endOffsets(broker.bootstrapServers(), steadyTopic),
                    mark,
                    20);

            down0 = System.nanoTime();
            broker.stop();
            Thread.sleep(5_000);
            broker.restart();
            stoppedMs = (System.nanoTime() - down0) / 1_000_000;
            mark = KafkaTopics.endOffsets(broker.bootstrapServers(), steadyTopic);
            awaitGrowth(
                    "steady topic",
                    () -> KafkaTopics.endOffsets(broker.bootstrapServers(), steadyTopic),
                    mark,
                    20);

            assertThat(steady.get(120, TimeUnit.SECONDS)).as("steady producer exit").isZero();
            // exit 1: frames were not published (counted in the summary)
            assertThat(impatient.get(120, TimeUnit.SECONDS)).as("impatient producer exit").isOne();
        } finally {
            System.setOut(originalOut);
        }
        String output = tee.text();
        SummaryRow steadyRow = summaryRow(output, "steady");
        SummaryRow impatientRow = summaryRow(output, "impatient");

        // --- default settings: nothing lost, nothing repeated, in order ---
        Map<Long, Integer> steadyCopies = copiesBySeq(steadyTopic, steadyRow.published());
        long steadyDuplicated = steadyCopies.values().stream().mapToLong(n -> n - 1).sum();
        TreeSet<Long> steadyMissing = new TreeSet<>();
        for (long s = 0; s < steadyRow.sent(); s++) {
            if (!steadyCopies.containsKey(s)) {
                steadyMissing.add(s);
            }
        }

        // --- short delivery timeout: drops counted, the rest exactly once ---
        Map<Long, Integer> impatientCopies = copiesBySeq(impatientTopic, impatientRow.published());
        long impatientDuplicated = impatientCopies.values().stream().mapToLong(n -> n - 1).sum();
        long impatientOnTopic = impatientCopies.size();
        long lastSeq =
                impatientCopies.keySet().stream().mapToLong(Long::longValue).max().orElse(-1);

        long captured = steadyRow.sent() + impatientRow.sent();
        long onTopic = steadyCopies.size() + impatientOnTopic;
        long duplicated = steadyDuplicated + impatientDuplicated;
        // a delivery timeout leaves the outcome open: frames counted as not published may have
        // been written all the same (their request was in flight when the broker went away)
        long timedOutButWritten = Math.max(0, impatientOnTopic - impatientRow.published());
        // lost: neither on the topic nor counted as dropped by the producer, or acked and absent
        long lost =
                steadyMissing.size()
                        + Math.max(
                                0, impatientRow.sent() - impatientOnTopic - impatientRow.errors())
                        + Math.max(0, impatientRow.published() - impatientOnTopic);
        new ReliabilityReport(
                        "producer-broker-restart",
                        "broker SIGKILL + SIGTERM under 2 produce CLIs, same address",
                        captured,
                        onTopic,
                        captured - onTopic,
                        0,
                        duplicated,
                        lost,
                        String.format(
                                "broker down %.1f s (SIGKILL) + %.1f s (SIGTERM); default client"
                                        + " (delivery timeout 2 min): %d captured, %d on the topic,"
                                        + " %d dropped; delivery timeout 6 s: %d captured, %d acked,"
                                        + " %d counted as not published, of which %d were written"
                                        + " all the same (timeout = unknown outcome)",
                                killedMs / 1000.0,
                                stoppedMs / 1000.0,
                                steadyRow.sent(),
                                steadyCopies.size(),
                                steadyRow.errors(),
                                impatientRow.sent(),
                                impatientRow.published(),
                                impatientRow.errors(),
                                timedOutButWritten))
                .write();

        assertThat(steadyRow.errors()).as("default client: frames not published").isZero();
        assertThat(steadyRow.published()).isEqualTo(steadyRow.sent());
        assertThat(steadyMissing).as("frames missing from the topic").isEmpty();
        assertThat(steadyDuplicated).as("duplicated frames").isZero();
        assertThat(steadyCopies).hasSize((int) steadyRow.sent());
        // 45 s at 10 fps, give or take the time frames waited while the broker was down
        assertThat(steadyRow.sent()).isGreaterThan(300);

        // the grab thread kept going while the broker was down (send() did not block): the
        // frames captured more than the 6 s delivery timeout before the broker came back
        // expired and were counted; half the outage beyond timeout + reconnect, at 10 fps
        long expiredAtLeast =
                Math.max(0, killedMs - 9_000) / 100 / 2 + Math.max(0, stoppedMs - 9_000) / 100 / 2;
        assertThat(impatientRow.errors())
                .as("frames dropped during the outages")
                .isPositive()
                .isGreaterThanOrEqualTo(expiredAtLeast);
        assertThat(impatientRow.published() + impatientRow.errors())
                .as("captured = published + dropped")
                .isEqualTo(impatientRow.sent());
        // every acked frame is on the topic, every frame missing from it was counted as dropped
        assertThat(impatientOnTopic)
                .as("frames on the topic")
                .isBetween(impatientRow.published(), impatientRow.sent());
        assertThat(impatientRow.sent() - impatientOnTopic)
                .as("frames missing from the topic")
                .isLessThanOrEqualTo(impatientRow.errors());
        assertThat(impatientDuplicated).as("duplicated frames").isZero();
        assertThat(lastSeq)
                .as("still publishing after the restarts")
                .isEqualTo(impatientRow.sent() - 1);
        assertThat(lost).isZero();
    }

    /** Records of a topic by seq header, with the number of copies of each. */
    private static Map<Long, Integer> copiesBySeq(String topic, long expected) {
        List<ConsumerRecord<byte[], byte[]>> records =
                KafkaTopics.read(
                        broker.bootstrapServers(),
                        topic,
                        (int) expected,
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(2),
                        false);
        Map<Long, Integer> copies = new HashMap<>();
        for (var r : records) {
            copies.merge(FrameAssertions.seq(r), 1, Integer::sum);
        }
        return copies;
    }
}
