package io.frameflow.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.testkit.EmbeddedKafkaBroker;
import io.frameflow.testkit.SharedResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar run as users run it: bad sources, oversized frames, exit codes and messages. */
class ProducerJarITCase {

    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void broker() throws Exception {
        kafka = EmbeddedKafkaBroker.shared();
    }

    @Test
    void badSourcesFailClearlyWhileTheGoodOneKeepsPublishing(@TempDir Path tmp) throws Exception {
        Path textAsMp4 = tmp.resolve("notes.mp4");
        Files.writeString(textAsMp4, "this is a text file, not a video\n");
        Path missing = tmp.resolve("missing.mp4");
        Path good = SharedResources.media("video/classroom.mp4");
        String topic = "it-bad-sources";
        kafka.createTopics(1, topic);
        try (ProducerProcess p =
                ProducerProcess.start(
                        "produce",
                        "-b",
                        kafka.bootstrapServers(),
                        "-t",
                        topic,
                        "--source",
                        "good=" + good,
                        "--source",
                        "missing=" + missing,
                        "--source",
                        "text=" + textAsMp4,
                        "--source",
                        "down=rtsp://127.0.0.1:9/nothing",
                        "--reconnect-attempts",
                        "1",
                        "--reconnect-backoff",
                        "100ms",
                        "--timeout",
                        "2s",
                        "--as-fast-as-possible",
                        "--progress",
                        "log")) {
            int exit = p.waitFor(120);
            String out = p.output();
            assertThat(exit).as(out).isEqualTo(1);
            assertThat(out)
                    .contains("FAILED missing (" + missing + "): file not found: " + missing);
            assertThat(out)
                    .containsPattern(
                            "FAILED text \\("
                                    + textAsMp4
                                    + "\\): cannot open "
                                    + textAsMp4
                                    + ": Invalid data found when processing input");
            assertThat(out)
                    .containsPattern(
                            "FAILED down \\(rtsp://127.0.0.1:9/nothing\\): cannot open rtsp://127.0.0.1:9/nothing: Connection refused .*\\(gave up after 2 attempts\\)");
            assertThat(out).contains("3 of 4 source(s) failed");
        }
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), topic)) {
            var records = reader.readAll(Duration.ofSeconds(2));
            var byCamera = FrameAssertions.byCamera(records);
            assertThat(byCamera.keySet()).containsExactly("good");
            assertThat(byCamera.get("good")).hasSize(MediaProbe.countFrames(good));
        }
    }

    @Test
    void aFrameLargerThanTheBrokerAcceptsIsReportedNotDropped() throws Exception {
        String topic = "it-too-large";
        try (var admin = kafka.admin()) {
            // 20 kB per record: the 480x270 frames at quality 100 are larger
            admin.createTopics(
                            java.util.List.of(
                                    new NewTopic(topic, 1, (short) 1)
                                            .configs(Map.of("max.message.bytes", "20000"))))
                    .all()
                    .get();
        }
        try (ProducerProcess p =
                ProducerProcess.start(
                        "produce",
                        "-b",
                        kafka.bootstrapServers(),
                        "-t",
                        topic,
                        "--source",
                        "big=" + SharedResources.media("video/classroom.mp4"),
                        "--quality",
                        "100",
                        "--max-frames",
                        "10",
                        "--as-fast-as-possible",
                        "--progress",
                        "log")) {
            int exit = p.waitFor(120);
            String out = p.output();
            assertThat(exit).as(out).isEqualTo(1);
            assertThat(out).contains("Camera big frame seq=0 (");
            assertThat(out).contains("RecordTooLargeException");
            assertThat(out).containsPattern("big\\s+10\\s+0\\s+[0-9.]+\\s+0\\.00\\s+10\\s+0");
            assertThat(out).contains("0 of 1 source(s) failed, 10 frame(s) not published");
        }
    }

    @Test
    void anUnreachableBrokerIsReportedAtStartUp() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (ProducerProcess p =
                ProducerProcess.start(
                        "produce",
                        "-b",
                        "127.0.0.1:" + port,
                        "--source",
                        SharedResources.media("video/classroom.mp4").toString(),
                        "--kafka.max.block.ms=2000")) {
            assertThat(p.waitFor(60)).as(p.output()).isEqualTo(1);
            assertThat(p.output())
                    .contains("Cannot publish to topic frames at 127.0.0.1:" + port)
                    .contains("check --bootstrap-servers");
        }
    }

    @Test
    void helpListsBothCommandsAndBadArgumentsExitWithTwo() throws Exception {
        try (ProducerProcess p = ProducerProcess.start("--help")) {
            assertThat(p.waitFor(60)).isZero();
            assertThat(p.output()).contains("produce").contains("record");
        }
        try (ProducerProcess p =
                ProducerProcess.start("produce", "--source", "a.mp4", "--resize", "big")) {
            assertThat(p.waitFor(60)).isEqualTo(2);
            assertThat(p.output()).contains("--resize must be WIDTHxHEIGHT");
        }
        try (ProducerProcess p =
                ProducerProcess.start("produce", "--source", "a.mp4", "--kafka.acks")) {
            assertThat(p.waitFor(60)).isEqualTo(2);
            assertThat(p.output()).contains("Missing value for --kafka.acks");
        }
    }
}
