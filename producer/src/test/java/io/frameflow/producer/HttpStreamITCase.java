package io.frameflow.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.testkit.EmbeddedKafkaBroker;
import io.frameflow.testkit.SharedResources;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An HTTP stream source: the system's ffmpeg serves a live MPEG-TS stream over HTTP on loopback
 * ({@code -listen 1}); the producer connects as a client, waiting with backoff until the server is
 * up, and publishes a bounded number of frames.
 */
class HttpStreamITCase {

    @Test
    void publishesFramesFromAnHttpStream() throws Exception {
        EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.shared();
        String topic = "it-http";
        kafka.createTopics(1, topic);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/live.ts";
        Process server =
                new ProcessBuilder(
                                "ffmpeg",
                                "-hide_banner",
                                "-loglevel",
                                "error",
                                "-re",
                                "-stream_loop",
                                "-1",
                                "-i",
                                SharedResources.media("video/classroom.mp4").toString(),
                                "-c",
                                "copy",
                                "-f",
                                "mpegts",
                                "-listen",
                                "1",
                                url)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
        try {
            int exit =
                    FrameFlowCli.run(
                            "produce",
                            "-b",
                            kafka.bootstrapServers(),
                            "-t",
                            topic,
                            "--source",
                            url,
                            "--max-frames",
                            "20",
                            "--reconnect-attempts",
                            "30",
                            "--reconnect-backoff",
                            "200ms",
                            "--reconnect-max-backoff",
                            "500ms",
                            "--progress",
                            "off");
            assertThat(exit).isZero();
        } finally {
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), topic)) {
            var byCamera =
                    FrameAssertions.byCamera(
                            reader.readUntil(r -> r.size() >= 20, Duration.ofSeconds(30)));
            // a bare URL takes its camera id from the last path segment
            assertThat(byCamera.keySet()).containsExactly("live.ts");
            assertThat(byCamera.get("live.ts")).hasSize(20);
            FrameAssertions.assertOrderedStream(byCamera.get("live.ts"));
            assertThat(FrameAssertions.decodeJpeg(byCamera.get("live.ts").get(19).value()))
                    .containsExactly(480, 270);
        }
    }
}
