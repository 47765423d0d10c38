package io.frameflow.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.testkit.EmbeddedKafkaBroker;
import io.frameflow.testkit.SharedResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code produce} against the embedded broker with the real videos and images in ../shared/media.
 */
class ProduceVideosITCase {

    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void broker() throws Exception {
        kafka = EmbeddedKafkaBroker.shared();
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), topic)) {
            reader.readUntil(r -> r.size() >= expected, Duration.ofSeconds(60));
            return reader.readAll(Duration.ofSeconds(1));
        }
    }

    @Test
    void everyVideoArrivesWithItsFrameCountInOrderAsDecodableJpegs() throws Exception {
        List<Path> videos;
        try (Stream<Path> s = Files.list(SharedResources.media("video"))) {
            videos = s.filter(p -> p.toString().endsWith(".mp4")).sorted().toList();
        }
        assertThat(videos).hasSizeGreaterThanOrEqualTo(6);
        String topic = "it-videos";
        kafka.createTopics(3, topic);
        Map<String, Integer> expected = new LinkedHashMap<>();
        Map<String, int[]> sizes = new LinkedHashMap<>();
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "produce",
                                "-b",
                                kafka.bootstrapServers(),
                                "-t",
                                topic,
                                "--as-fast-as-possible",
                                "--progress",
                                "log",
                                "--progress-interval",
                                "5s"));
        int total = 0;
        for (int i = 0; i < videos.size(); i++) {
            String camera = "video-" + i;
            expected.put(camera, MediaProbe.countFrames(videos.get(i)));
            sizes.put(camera, MediaProbe.size(videos.get(i)));
            total += expected.get(camera);
            args.add("--source");
            args.add(camera + "=" + videos.get(i));
        }
        // every source on its own thread, all into one topic
        assertThat(FrameFlowCli.run(args.toArray(String[]::new))).isZero();

        var byCamera = FrameAssertions.byCamera(readAll(topic, total));
        assertThat(byCamera.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (var e : expected.entrySet()) {
            var frames = byCamera.get(e.getKey());
            assertThat(frames).as("frames of %s", e.getKey()).hasSize(e.getValue());
            FrameAssertions.assertOrderedStream(frames);
            int[] size = sizes.get(e.getKey());
            // decode a spread of frames, first and last included
            for (int i = 0; i < frames.size(); i += Math.max(1, frames.size() / 10)) {
                assertThat(FrameAssertions.decodeJpeg(frames.get(i).value())).containsExactly(size);
            }
            assertThat(FrameAssertions.decodeJpeg(frames.get(frames.size() - 1).value()))
                    .containsExactly(size);
        }
    }

    @Test
    void replicateEightPublishesEightCameras() throws Exception {
        Path video = SharedResources.media("video/classroom.mp4");
        int frames = MediaProbe.countFrames(video);
        String topic = "it-replicate";
        kafka.createTopics(4, topic);
        int exit =
                FrameFlowCli.run(
                        "produce",
                        "-b",
                        kafka.bootstrapServers(),
                        "-t",
                        topic,
                        "--source",
                        "cam-1=" + video,
                        "--replicate",
                        "8",
                        "--as-fast-as-possible",
                        "--progress",
                        "off");
        assertThat(exit).isZero();
        var byCamera = FrameAssertions.byCamera(readAll(topic, 8 * frames));
        assertThat(byCamera.keySet())
                .containsExactlyInAnyOrder(
                        "cam-1-0", "cam-1-1", "cam-1-2", "cam-1-3", "cam-1-4", "cam-1-5", "cam-1-6",
                        "cam-1-7");
        byCamera.values()
                .forEach(
                        f -> {
                            assertThat(f).hasSize(frames);
                            FrameAssertions.assertOrderedStream(f);
                        });
    }

    @Test
    void fpsCapKeepsAThirdOfAFifteenFpsFile() throws Exception {
        Path video = SharedResources.media("video/classroom.mp4");
        assertThat(MediaProbe.frameRate(video)).isEqualTo("15/1");
        int frames = MediaProbe.countFrames(video);
        String topic = "it-fps";
        kafka.createTopics(1, topic);
        int exit =
                FrameFlowCli.run(
                        "produce",
                        "-b",
                        kafka.bootstrapServers(),
                        "-t",
                        topic,
                        "--source",
                        "classroom=" + video,
                        "--fps",
                        "5",
                        "--as-fast-as-possible",
                        "--progress",
                        "off");
        assertThat(exit).isZero();
        var records = readAll(topic, frames / 3);
        assertThat(records.size()).isBetween(frames / 3 - 1, frames / 3 + 1);
        FrameAssertions.assertOrderedStream(records);
        // 5 fps: capture timestamps 200 ms apart
        for (int i = 1; i < records.size(); i++) {
            assertThat(records.get(i).timestamp() - records.get(i - 1).timestamp())
                    .isBetween(199L, 201L);
        }
    }

    @Test
    void filesPlayInRealTimeByDefault() throws Exception {
        Path video = SharedResources.media("video/classroom.mp4"); // 45 frames at 15 fps = 3 s
        String topic = "it-realtime";
        kafka.createTopics(1, topic);
        long t0 = System.nanoTime();
        int exit =
                FrameFlowCli.run(
                        "produce",
                        "-b",
                        kafka.bootstrapServers(),
                        "-t",
                        topic,
                        "--source",
                        video.toString(),
                        "--progress",
                        "off");
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(exit).isZero();
        assertThat(millis).as("a 3 s clip played in real time").isGreaterThanOrEqualTo(2800);
        var byCamera = FrameAssertions.byCamera(readAll(topic, 45));
        // a bare path takes its camera id from the file name
        assertThat(byCamera.keySet()).containsExactly("classroom");
        assertThat(byCamera.get("classroom")).hasSize(45);
    }

    @Test
    void imageFolderIsPublishedInNameOrderResizedWhenAsked() throws Exception {
        Path folder = SharedResources.media("frames/classroom");
        List<Path> images;
        try (Stream<Path> s = Files.list(folder)) {
            images = s.filter(p -> p.toString().endsWith(".jpg")).toList();
        }
        String topic = "it-folder";
        kafka.createTopics(1, topic);
        int exit =
                FrameFlowCli.run(
                        "produce",
                        "-b",
                        kafka.bootstrapServers(),
                        "-t",
                        topic,
                        "--source",
                        folder.toString(),
                        "--resize",
                        "320x180",
                        "--as-fast-as-possible",
                        "--source",
                        "wide=" + SharedResources.media("video/one-by-one-person-detection.mp4"),
                        "--max-width",
                        "384",
                        "--max-frames",
                        "20",
                        "--progress",
                        "off");
        assertThat(exit).isZero();
        var byCamera = FrameAssertions.byCamera(readAll(topic, images.size() + 20));
        assertThat(byCamera.get("classroom")).hasSize(images.size());
        FrameAssertions.assertOrderedStream(byCamera.get("classroom"));
        // --resize wins over --max-width
        assertThat(FrameAssertions.decodeJpeg(byCamera.get("classroom").get(0).value()))
                .containsExactly(320, 180);
        assertThat(byCamera.get("wide")).hasSize(20);
    }

    @Test
    void loopReplaysAFileWithContinuingSeqAndTimestamps() throws Exception {
        Path video = SharedResources.media("video/classroom.mp4");
        String topic = "it-loop";
        kafka.createTopics(1, topic);
        int exit =
                FrameFlowCli.run(
                        "produce",
                        "-b",
                        kafka.bootstrapServers(),
                        "-t",
                        topic,
                        "--source",
                        "loop=" + video,
                        "--loop",
                        "--max-frames",
                        "100",
                        "--as-fast-as-possible",
                        "--max-width",
                        "240",
                        "--progress",
                        "off");
        assertThat(exit).isZero();
        var records = readAll(topic, 100);
        assertThat(records).hasSize(100);
        FrameAssertions.assertOrderedStream(records);
        assertThat(FrameAssertions.decodeJpeg(records.get(50).value())).containsExactly(240, 134);
    }
}
