package io.frameflow.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.testkit.EmbeddedKafkaBroker;
import io.frameflow.testkit.SharedResources;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real RTSP stream on loopback: the producer listens (rtsp_flags=listen), the system's ffmpeg
 * pushes a looping file to it. The sender is killed mid-stream and restarted; the producer must
 * reconnect and keep publishing with continuing seq numbers.
 */
class RtspReconnectITCase {

    @Test
    void reconnectsAfterTheSenderDiesAndKeepsPublishing() throws Exception {
        EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.shared();
        String topic = "it-rtsp";
        kafka.createTopics(1, topic);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "rtsp://127.0.0.1:" + port + "/live";
        try (ProducerProcess producer =
                        ProducerProcess.start(
                                "produce",
                                "-b",
                                kafka.bootstrapServers(),
                                "-t",
                                topic,
                                "--source",
                                "rtsp-cam=" + url,
                                "-O",
                                "rtsp_flags=listen",
                                "--reconnect-attempts",
                                "-1",
                                "--reconnect-backoff",
                                "200ms",
                                "--reconnect-max-backoff",
                                "1s",
                                "--progress",
                                "log",
                                "--progress-interval",
                                "2s");
                TopicReader reader = new TopicReader(kafka.bootstrapServers(), topic)) {
            Process sender = startSender(url, producer);
            int before;
            try {
                before = reader.readUntil(r -> r.size() >= 30, Duration.ofSeconds(60)).size();
                assertThat(before).as(producer.output()).isGreaterThanOrEqualTo(30);
            } finally {
                sender.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            // whatever was in flight when the sender died
            int afterKill = reader.readAll(Duration.ofSeconds(2)).size();

            sender = startSender(url, producer);
            try {
                var records =
                        reader.readUntil(r -> r.size() >= afterKill + 30, Duration.ofSeconds(60));
                assertThat(records.size())
                        .as(producer.output())
                        .isGreaterThanOrEqualTo(afterKill + 30);
            } finally {
                sender.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            // Ctrl-C equivalent: SIGTERM runs the shutdown hook, which flushes and prints the
            // summary
            producer.process().destroy();
            assertThat(producer.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = producer.output();
            assertThat(out).contains("stream " + url + " dropped");
            assertThat(out).contains("Camera rtsp-cam: reconnected to " + url);
            assertThat(out).contains("Summary after");

            List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> all =
                    reader.readAll(Duration.ofSeconds(2));
            // seq continues across the reconnect, timestamps keep increasing, every frame decodes
            FrameAssertions.assertOrderedStream(all);
            FrameAssertions.decodeJpeg(all.get(afterKill).value());
            assertThat(out)
                    .containsPattern("rtsp-cam\\s+" + all.size() + "\\s+" + all.size() + "\\s");
        }
    }

    /** Starts ffmpeg pushing the looping clip; retries until the producer is listening. */
    private static Process startSender(String url, ProducerProcess producer)
            throws IOException, InterruptedException {
        String clip = SharedResources.media("video/classroom.mp4").toString();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "";
        while (System.nanoTime() < deadline) {
            Process p =
                    new ProcessBuilder(
                                    "ffmpeg",
                                    "-hide_banner",
                                    "-loglevel",
                                    "error",
                                    "-re",
                                    "-stream_loop",
                                    "-1",
                                    "-i",
                                    clip,
                                    "-c",
                                    "copy",
                                    "-f",
                                    "rtsp",
                                    "-rtsp_transport",
                                    "tcp",
                                    url)
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
            if (!p.waitFor(1500, TimeUnit.MILLISECONDS)) {
                return p; // still streaming: connected
            }
            last = "ffmpeg exited with " + p.exitValue();
            Thread.sleep(300);
        }
        throw new AssertionError(
                "could not start the RTSP sender ("
                        + last
                        + "); producer output:\n"
                        + producer.output());
    }
}
