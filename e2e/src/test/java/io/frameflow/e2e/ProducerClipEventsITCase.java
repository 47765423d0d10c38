package io.frameflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.CameraEvent;
import io.frameflow.records.json.EventsJson;
import io.frameflow.testkit.KafkaTopics;
import io.frameflow.testkit.SharedResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 16's acceptance, as a user runs it: the producer CLI's shaded jar publishes a real clip as
 * a camera ({@code produce --source one-by-one=<clip> --fps 5 --as-fast-as-possible}: javacv
 * decodes it, OpenCV encodes each frame), the job's jar counts on the camera's exit line and table
 * zone on a standalone cluster, and the committed {@code frames.events} holds what a person counts
 * on the clip.
 *
 * <p>{@code one-by-one-person-detection.mp4}, by eye (see {@code RealClipEventsTest}): six people,
 * one at a time, walk in from the bottom edge to the little round table, stand at it, and walk off
 * to the right, their feet crossing x = 0.75 once each, outwards; nobody comes back. So: six {@code
 * line-cross} events, all {@code out}, on six different tracks; six table visits (enter, loiter
 * after 8 s, exit), one per person.
 */
class ProducerClipEventsITCase {

    static final String CAMERA = "one-by-one";
    static final Duration TIMEOUT = Duration.ofSeconds(240);

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void theProducersClipGivesSixExitsAndSixTableVisits() throws Throwable {
        FrameFlowCluster cluster =
                FrameFlowCluster.start(
                        "cluster-producer-clip", 1, 2, List.of("taskmanager.numberOfTaskSlots=2"));
        try {
            String bootstrap = cluster.broker.bootstrapServers();
            cluster.broker.createTopics(
                    1, "cli-in", "cli-det", "cli-ann", "cli-st", "cli-ev", "cli-dlq");
            Path config =
                    Files.createDirectories(cluster.runDir.resolve("producer-clip"))
                            .resolve("cameras.json");
            Files.writeString(config, TrackingFailoverITCase.CAMERA_CONFIG);

            Path clip = SharedResources.media("video/one-by-one-person-detection.mp4");
            List<String> producer = new ArrayList<>();
            producer.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            producer.addAll(
                    List.of(
                            "-Xmx512m",
                            "-jar",
                            producerJar().toString(),
                            "produce",
                            "-b",
                            bootstrap,
                            "-t",
                            "cli-in",
                            "--source",
                            CAMERA + "=" + clip,
                            "--fps",
                            "5",
                            "--as-fast-as-possible",
                            "--progress",
                            "log"));
            Path log = cluster.runDir.resolve("producer-clip/producer.log");
            Process p =
                    new ProcessBuilder(producer)
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start();
            assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("the producer finishes").isTrue();
            assertThat(p.exitValue())
                    .as("producer exit code; log: " + Files.readString(log))
                    .isZero();

            String job =
                    cluster.runJob(
                            cluster.jobArgs(
                                    "yolox_nano.onnx",
                                    "cli",
                                    "2 s",
                                    "--camera-config",
                                    config.toString(),
                                    "--topic.frames",
                                    "cli-in",
                                    "--topic.detections",
                                    "cli-det",
                                    "--topic.annotated",
                                    "cli-ann",
                                    "--topic.stats",
                                    "cli-st",
                                    "--topic.events",
                                    "cli-ev",
                                    "--topic.dlq",
                                    "cli-dlq",
                                    "--bounded"),
                            2,
                            null);
            FrameFlowCluster.waitFor(
                    "the bounded run to finish",
                    TIMEOUT,
                    () -> cluster.get("/jobs/" + job).path("state").asText().equals("FINISHED"));

            EventsJson json = new EventsJson();
            List<CameraEvent> events = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r :
                    KafkaTopics.read(
                            bootstrap, "cli-ev", 24, TIMEOUT, Duration.ofSeconds(5), true)) {
                events.add(json.read(r.value()));
            }
            System.out.printf("Producer clip: %d events: %s%n", events.size(), events);
            List<CameraEvent> crossings = of(events, CameraEvent.Type.LINE_CROSS);
            assertThat(crossings).hasSize(6);
            assertThat(crossings).extracting(CameraEvent::direction).containsOnly(CameraEvent.OUT);
            assertThat(crossings).extracting(CameraEvent::trackId).doesNotHaveDuplicates();
            assertThat(crossings).extracting(CameraEvent::camera).containsOnly(CAMERA);
            assertThat(of(events, CameraEvent.Type.ZONE_ENTER)).hasSize(6);
            assertThat(of(events, CameraEvent.Type.ZONE_EXIT)).hasSize(6);
            assertThat(of(events, CameraEvent.Type.LOITER)).hasSize(6);
            assertThat(of(events, CameraEvent.Type.ZONE_EXIT))
                    .allSatisfy(e -> assertThat(e.dwellMs()).isGreaterThan(8_000));
        } finally {
            cluster.close();
        }
    }

    private static List<CameraEvent> of(List<CameraEvent> events, CameraEvent.Type type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }

    /** The producer's shaded jar, built by the producer module's package phase. */
    private static Path producerJar() {
        Path jar = Project.root().resolve("producer/target/frameflow-producer.jar");
        assertThat(jar).as("run with mvn verify: the producer module builds it").isRegularFile();
        return jar;
    }
}
