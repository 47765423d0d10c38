package io.frameflow.producer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frameflow.producer.record.VideoCodec;
import io.frameflow.records.Detection;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.wire.FrameWire;
import io.frameflow.testkit.EmbeddedKafkaBroker;
import io.frameflow.testkit.SharedResources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code record}: a published stream back to an mp4 with the same frame count, size and rate. */
class RecordITCase {

    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void broker() throws Exception {
        kafka = EmbeddedKafkaBroker.shared();
    }

    @Test
    void publishedFileRecordsBackToAnMp4WithTheSameFramesAndSize(@TempDir Path tmp)
            throws Exception {
        Path video = SharedResources.media("video/store-aisle-detection.mp4");
        int frames = MediaProbe.countFrames(video);
        int[] size = MediaProbe.size(video);
        String topic = "it-record";
        kafka.createTopics(2, topic);
        assertThat(
                        FrameFlowCli.run(
                                "produce",
                                "-b",
                                kafka.bootstrapServers(),
                                "-t",
                                topic,
                                "--as-fast-as-possible",
                                "--source",
                                "aisle=" + video,
                                "--source",
                                "classroom=" + SharedResources.media("video/classroom.mp4"),
                                "--progress",
                                "off"))
                .isZero();

        Path out = tmp.resolve("rec");
        assertThat(
                        FrameFlowCli.run(
                                "record",
                                "-b",
                                kafka.bootstrapServers(),
                                "-t",
                                topic,
                                "--camera",
                                "aisle",
                                "--bounded",
                                "-o",
                                out.toString()))
                .isZero();

        Path mp4 = out.resolve("aisle.mp4");
        assertThat(mp4).isRegularFile();
        assertThat(out.resolve("classroom.mp4")).doesNotExist();
        assertThat(MediaProbe.countFrames(mp4)).isEqualTo(frames);
        assertThat(MediaProbe.size(mp4)).containsExactly(size);
        assertThat(MediaProbe.frameRate(mp4)).isEqualTo(MediaProbe.frameRate(video));
        assertThat(MediaProbe.codec(mp4))
                .isEqualTo(VideoCodec.best() == VideoCodec.H264 ? "h264" : "mpeg4");
    }

    @Test
    void mpeg4FallbackAndDetectionsOfTheRecordedFrames(@TempDir Path tmp) throws Exception {
        Path video = SharedResources.media("video/classroom.mp4");
        int frames = MediaProbe.countFrames(video);
        String topic = "it-record-det";
        String detTopic = "it-record-det.detections";
        kafka.createTopics(1, topic, detTopic);
        assertThat(
                        FrameFlowCli.run(
                                "produce",
                                "-b",
                                kafka.bootstrapServers(),
                                "-t",
                                topic,
                                "--as-fast-as-possible",
                                "--source",
                                "room=" + video,
                                "--progress",
                                "off"))
                .isZero();
        ObjectMapper mapper = new ObjectMapper();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(props)) {
            // two persons on every even frame of "room", plus records that must not match
            for (int seq = 0; seq < frames; seq += 2) {
                send(
                        p,
                        mapper,
                        detTopic,
                        new FrameDetections(
                                "room",
                                seq,
                                0,
                                480,
                                270,
                                "yolox_nano",
                                1.0,
                                List.of(
                                        new Detection("person", 0, 0.9f, 10, 20, 110, 220, null),
                                        new Detection(
                                                "person", 0, 0.8f, 200, 20, 300, 220, null))));
            }
            send(
                    p,
                    mapper,
                    detTopic,
                    new FrameDetections(
                            "room",
                            999,
                            0,
                            480,
                            270,
                            "yolox_nano",
                            1.0,
                            List.of(new Detection("person", 0, 0.9f, 1, 2, 3, 4, null))));
            send(
                    p,
                    mapper,
                    detTopic,
                    new FrameDetections(
                            "other",
                            0,
                            0,
                            480,
                            270,
                            "yolox_nano",
                            1.0,
                            List.of(new Detection("person", 0, 0.9f, 1, 2, 3, 4, null))));
        }
        Path out = tmp.resolve("rec");
        Path csv = tmp.resolve("dets.csv");
        assertThat(
                        FrameFlowCli.run(
                                "record",
                                "-b",
                                kafka.bootstrapServers(),
                                "-t",
                                topic,
                                "--bounded",
                                "-o",
                                out.toString(),
                                "--codec",
                                "mpeg4",
                                "--detections-topic",
                                detTopic,
                                "--detections-out",
                                csv.toString()))
                .isZero();
        Path mp4 = out.resolve("room.mp4");
        assertThat(MediaProbe.codec(mp4)).isEqualTo("mpeg4");
        assertThat(MediaProbe.countFrames(mp4)).isEqualTo(frames);
        assertThat(MediaProbe.size(mp4)).containsExactly(480, 270);
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        int evenFrames = (frames + 1) / 2;
        assertThat(lines).hasSize(1 + 2 * evenFrames);
        assertThat(lines.get(0))
                .isEqualTo("camera,seq,capture_ts,model,label,class_id,score,x1,y1,x2,y2");
        assertThat(lines.get(1))
                .isEqualTo("room,0,0,yolox_nano,person,0,0.9000,10.0000,20.0000,110.0000,220.0000");

        Path json = tmp.resolve("dets.json");
        assertThat(
                        FrameFlowCli.run(
                                "record",
                                "-b",
                                kafka.bootstrapServers(),
                                "-t",
                                topic,
                                "--bounded",
                                "-o",
                                tmp.resolve("rec2").toString(),
                                "--camera",
                                "room",
                                "--detections-topic",
                                detTopic,
                                "--detections-out",
                                json.toString()))
                .isZero();
        JsonNode array = mapper.readTree(json.toFile());
        assertThat(array.size()).isEqualTo(evenFrames);
        assertThat(array.get(1).path("seq").asLong()).isEqualTo(2);
        assertThat(array.get(1).path("detections").size()).isEqualTo(2);
    }

    @Test
    void unknownCameraOrEmptyTopicExitsNonZero(@TempDir Path tmp) throws Exception {
        String topic = "it-record-empty";
        kafka.createTopics(1, topic);
        assertThat(
                        FrameFlowCli.run(
                                "record",
                                "-b",
                                kafka.bootstrapServers(),
                                "-t",
                                topic,
                                "--bounded",
                                "-o",
                                tmp.toString()))
                .isEqualTo(1);
        assertThat(
                        FrameFlowCli.run(
                                "record",
                                "-b",
                                kafka.bootstrapServers(),
                                "-t",
                                topic,
                                "--bounded",
                                "-o",
                                tmp.toString(),
                                "--from",
                                "yesterday"))
                .isEqualTo(2);
    }

    private static void send(
            KafkaProducer<byte[], byte[]> p, ObjectMapper mapper, String topic, FrameDetections d)
            throws Exception {
        var r =
                new ProducerRecord<>(
                        topic,
                        d.camera().getBytes(StandardCharsets.UTF_8),
                        mapper.writeValueAsBytes(d));
        r.headers()
                .add(FrameWire.HEADER_SEQ, Long.toString(d.seq()).getBytes(StandardCharsets.UTF_8));
        p.send(r).get();
    }
}
