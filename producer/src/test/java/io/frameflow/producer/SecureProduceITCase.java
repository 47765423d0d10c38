package io.frameflow.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.testkit.KafkaTopics;
import io.frameflow.testkit.SecureKafkaBroker;
import io.frameflow.testkit.SharedResources;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, access: {@code frameflow-producer produce} publishes to a broker that only serves
 * SASL_SSL with SCRAM-SHA-512, using the {@code --kafka.*} pass-through; a wrong password stops it
 * at start-up with the broker's reason, fast, and neither run prints the password.
 */
class SecureProduceITCase {

    private static SecureKafkaBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = SecureKafkaBroker.start("camera-publisher");
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    private static List<String> cliArgs(String topic, String password) {
        Path folder = SharedResources.media("frames/classroom");
        List<String> args = new ArrayList<>();
        args.addAll(
                List.of(
                        "produce",
                        "-b",
                        broker.bootstrapServers(),
                        "-t",
                        topic,
                        "--source",
                        folder.toString(),
                        "--as-fast-as-possible",
                        "--progress",
                        "off"));
        broker.clientProperties(broker.user(), password)
                .forEach((k, v) -> args.add("--kafka." + k + "=" + v));
        args.add("--kafka.max.block.ms=60000");
        return args;
    }

    @Test
    void publishesOverTlsAndScram() throws Exception {
        broker.createTopics(1, "sec-frames");
        int images;
        try (Stream<Path> s = Files.list(SharedResources.media("frames/classroom"))) {
            images = (int) s.filter(p -> p.toString().endsWith(".jpg")).count();
        }
        Captured run = capture(cliArgs("sec-frames", broker.password()));
        assertThat(run.exit).as(run.text).isZero();
        List<ConsumerRecord<byte[], byte[]>> back =
                KafkaTopics.read(
                        broker.bootstrapServers(),
                        "sec-frames",
                        images,
                        Duration.ofSeconds(30),
                        Duration.ofMillis(500),
                        false,
                        broker.clientProperties());
        assertThat(back).hasSize(images);
        FrameAssertions.assertOrderedStream(back);
        assertThat(run.text).doesNotContain(broker.password());
    }

    @Test
    void recordsOverTlsAndScram(@TempDir Path tmp) throws Exception {
        broker.createTopics(1, "sec-rec");
        Captured produced = capture(cliArgs("sec-rec", broker.password()));
        assertThat(produced.exit).as(produced.text).isZero();
        int images;
        try (Stream<Path> s = Files.list(SharedResources.media("frames/classroom"))) {
            images = (int) s.filter(p -> p.toString().endsWith(".jpg")).count();
        }
        Path out = tmp.resolve("rec");
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "record",
                                "-b",
                                broker.bootstrapServers(),
                                "-t",
                                "sec-rec",
                                "--bounded",
                                "-o",
                                out.toString()));
        broker.clientProperties().forEach((k, v) -> args.add("--kafka." + k + "=" + v));
        Captured recorded = capture(args);
        assertThat(recorded.exit).as(recorded.text).isZero();
        try (Stream<Path> files = Files.list(out)) {
            List<Path> videos = files.filter(p -> p.toString().endsWith(".mp4")).toList();
            assertThat(videos).hasSize(1);
            assertThat(MediaProbe.countFrames(videos.get(0))).isEqualTo(images);
        }
        assertThat(recorded.text).doesNotContain(broker.password());
    }

    @Test
    void theRecorderRefusesAWrongPasswordFastWithTheReason(@TempDir Path tmp) throws Exception {
        broker.createTopics(1, "sec-rec-w");
        String wrong = "definitely-wrong-" + System.nanoTime();
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "record",
                                "-b",
                                broker.bootstrapServers(),
                                "-t",
                                "sec-rec-w",
                                "--bounded",
                                "-o",
                                tmp.resolve("rec").toString()));
        broker.clientProperties(broker.user(), wrong)
                .forEach((k, v) -> args.add("--kafka." + k + "=" + v));
        long t0 = System.nanoTime();
        Captured run = capture(args);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        System.out.println(
                "Recorder with a wrong password exited after " + took.toMillis() + " ms");
        assertThat(run.exit).as(run.text).isEqualTo(1);
        assertThat(run.text).contains("invalid credentials with SASL mechanism SCRAM-SHA-512");
        assertThat(run.text).doesNotContain(wrong);
        assertThat(took).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void aWrongPasswordStopsItAtStartUpFastWithTheReason() throws Exception {
        broker.createTopics(1, "sec-frames-w");
        String wrong = "definitely-wrong-" + System.nanoTime();
        long t0 = System.nanoTime();
        Captured run = capture(cliArgs("sec-frames-w", wrong));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        System.out.println(
                "Producer with a wrong password exited after " + took.toMillis() + " ms");
        assertThat(run.exit).isEqualTo(1);
        assertThat(run.text)
                .contains("Cannot publish to topic sec-frames-w")
                .contains("invalid credentials with SASL mechanism SCRAM-SHA-512");
        assertThat(run.text).doesNotContain(wrong);
        // authentication errors are not retried: far below max.block.ms (60 s)
        assertThat(took).isLessThan(Duration.ofSeconds(20));
    }

    private record Captured(int exit, String text) {}

    /** Runs the CLI in-process with stdout and stderr captured. */
    private static Captured capture(List<String> args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(buf, true, StandardCharsets.UTF_8);
        int exit;
        try {
            System.setOut(both);
            System.setErr(both);
            exit = FrameFlowCli.run(args.toArray(String[]::new));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        out.println(text);
        return new Captured(exit, text);
    }
}
