package io.frameflow.producer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frameflow.records.Detection;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.json.WireRecords;
import io.frameflow.records.wire.FrameWire;
import io.frameflow.testkit.EmbeddedKafkaBroker;
import io.frameflow.testkit.ReliabilityReport;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #15 fault 6, per-camera order: the job's inference hands a camera's frames on slightly
 * shuffled, and {@code record} must still write them in capture order. Each frame carries its index
 * drawn as a bar code (8 black/white blocks, and below them the same bits inverted, so a misread
 * shows); the mp4 is decoded and the indices read back.
 */
class OrderedRecordingITCase {

    private static final int FRAMES = 150;
    private static final int MAX_DISPLACEMENT = 12;
    private static final int BITS = 8;
    private static final int WIDTH = 320;
    private static final int HEIGHT = 240;
    private static final long FRAME_MS = 40;

    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void broker() throws Exception {
        kafka = EmbeddedKafkaBroker.shared();
    }

    @Test
    void shuffledFramesOfACameraAreRecordedInCaptureOrder(@TempDir Path tmp) throws Exception {
        String topic = "it-ordered.annotated";
        String detTopic = "it-ordered.detections";
        kafka.createTopics(2, topic, detTopic);
        List<Integer> order = shuffled(FRAMES, MAX_DISPLACEMENT, 15);
        assertThat(order).isNotEqualTo(inOrder(FRAMES));
        int moved = 0;
        for (int i = 0; i < FRAMES; i++) {
            moved += order.get(i) != i ? 1 : 0;
        }
        publish(topic, "door", order, System.currentTimeMillis() - 60_000);
        publishDetections(detTopic, "door", shuffled(FRAMES, MAX_DISPLACEMENT, 16));

        Path out = tmp.resolve("rec");
        Path json = tmp.resolve("door.json");
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
                                "--detections-topic",
                                detTopic,
                                "--detections-out",
                                json.toString()))
                .isZero();

        List<Integer> recorded = readIndices(out.resolve("door.mp4"));
        int outOfOrder = 0;
        for (int i = 1; i < recorded.size(); i++) {
            outOfOrder += recorded.get(i) <= recorded.get(i - 1) ? 1 : 0;
        }
        Set<Integer> distinct = new HashSet<>(recorded);
        new ReliabilityReport(
                        "ordered-recording",
                        "one camera's "
                                + FRAMES
                                + " frames published to the annotated topic shuffled as parallel"
                                + " inference does ("
                                + moved
                                + " frames moved, each at most "
                                + MAX_DISPLACEMENT
                                + " places); record --bounded; processed = frames in the mp4",
                        FRAMES,
                        recorded.size(),
                        0,
                        0,
                        recorded.size() - distinct.size(),
                        FRAMES - distinct.size(),
                        "out-of-order frames in the mp4: "
                                + outOfOrder
                                + "; indices read back from a bar code in each frame")
                .write();

        assertThat(recorded).containsExactlyElementsOf(inOrder(FRAMES));
        assertThat(outOfOrder).isZero();
        // the detections follow the frames: one per written frame, in the video's order
        JsonNode array = new ObjectMapper().readTree(json.toFile());
        List<Long> seqs = new ArrayList<>();
        array.forEach(d -> seqs.add(d.path("seq").asLong()));
        assertThat(seqs).hasSize(FRAMES).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void aFrameBeyondTheReorderBoundIsDroppedAndReportedNotWrittenOutOfOrder(@TempDir Path tmp)
            throws Exception {
        String topic = "it-ordered-late.annotated";
        kafka.createTopics(1, topic);
        // frame 20 comes after 21..40: twenty later frames, more than --reorder-frames 8
        List<Integer> order = inOrder(60);
        order.remove(Integer.valueOf(20));
        order.add(40, 20);
        publish(topic, "gate", order, System.currentTimeMillis() - 60_000);

        Path out = tmp.resolve("rec");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        int code;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            code =
                    FrameFlowCli.run(
                            "record",
                            "-b",
                            kafka.bootstrapServers(),
                            "-t",
                            topic,
                            "--bounded",
                            "--reorder-frames",
                            "8",
                            "-o",
                            out.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        String said = stdout.toString(StandardCharsets.UTF_8);
        String complained = stderr.toString(StandardCharsets.UTF_8);
        oldOut.print(said);
        oldErr.print(complained);

        assertThat(code).isEqualTo(1);
        assertThat(said).contains("gate: 59 frames").contains("1 late");
        assertThat(complained)
                .contains("1 frame(s) arrived after a later frame of their camera was written");
        List<Integer> expected = inOrder(60);
        expected.remove(Integer.valueOf(20));
        assertThat(readIndices(out.resolve("gate.mp4"))).containsExactlyElementsOf(expected);
    }

    private static List<Integer> inOrder(int n) {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(i);
        }
        return l;
    }

    /** 0..n-1, each moved at most {@code d} places, the way unordered parallel inference does. */
    private static List<Integer> shuffled(int n, int d, long seed) {
        Random random = new Random(seed);
        List<double[]> keyed = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keyed.add(new double[] {i + random.nextDouble() * d, i});
        }
        keyed.sort((a, b) -> Double.compare(a[0], b[0]));
        List<Integer> out = new ArrayList<>();
        keyed.forEach(k -> out.add((int) k[1]));
        return out;
    }

    /** Frames {@code order} of {@code camera} as the job writes them: seq = index, 25 fps. */
    private static void publish(String topic, String camera, List<Integer> order, long t0)
            throws Exception {
        try (KafkaProducer<byte[], byte[]> p = producer()) {
            for (int i : order) {
                p.send(WireRecords.frame(topic, camera, i, t0 + i * FRAME_MS, barCode(i))).get();
            }
        }
    }

    private static void publishDetections(String topic, String camera, List<Integer> order)
            throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        try (KafkaProducer<byte[], byte[]> p = producer()) {
            for (int i : order) {
                FrameDetections d =
                        new FrameDetections(
                                camera,
                                i,
                                0,
                                WIDTH,
                                HEIGHT,
                                "yolox_nano",
                                1.0,
                                List.of(new Detection("person", 0, 0.9f, 1, 2, 3, 4, null)));
                ProducerRecord<byte[], byte[]> r =
                        new ProducerRecord<>(
                                topic,
                                camera.getBytes(StandardCharsets.UTF_8),
                                mapper.writeValueAsBytes(d));
                r.headers()
                        .add(
                                FrameWire.HEADER_SEQ,
                                Integer.toString(i).getBytes(StandardCharsets.UTF_8));
                p.send(r).get();
            }
        }
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    /** A grey frame with {@code index} as 8 blocks (white = 1), the inverted bits below. */
    static byte[] barCode(int index) throws Exception {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        int w = WIDTH / BITS;
        for (int b = 0; b < BITS; b++) {
            boolean one = (index >> (BITS - 1 - b) & 1) == 1;
            g.setColor(one ? Color.WHITE : Color.BLACK);
            g.fillRect(b * w, 0, w, HEIGHT / 2);
            g.setColor(one ? Color.BLACK : Color.WHITE);
            g.fillRect(b * w, HEIGHT / 2, w, HEIGHT / 2);
        }
        g.dispose();
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, "jpg", jpeg)).isTrue();
        return jpeg.toByteArray();
    }

    /** The index of every frame of the video, in the order the video shows them. */
    static List<Integer> readIndices(Path mp4) throws Exception {
        List<Integer> indices = new ArrayList<>();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(mp4.toFile());
                Java2DFrameConverter converter = new Java2DFrameConverter()) {
            grabber.start();
            Frame frame;
            while ((frame = grabber.grabImage()) != null) {
                indices.add(read(converter.convert(frame)));
            }
            grabber.stop();
        }
        return indices;
    }

    private static int read(BufferedImage image) {
        int w = image.getWidth() / BITS;
        int index = 0;
        for (int b = 0; b < BITS; b++) {
            double top = luma(image, b * w + w / 2, image.getHeight() / 4);
            double bottom = luma(image, b * w + w / 2, image.getHeight() * 3 / 4);
            assertThat(Math.abs(top - bottom))
                    .as("bit %d: the block and its inverse differ clearly", b)
                    .isGreaterThan(100);
            index = index << 1 | (top > bottom ? 1 : 0);
        }
        return index;
    }

    /** Mean luma of the 9x9 pixels around (x, y). */
    private static double luma(BufferedImage image, int x, int y) {
        double sum = 0;
        for (int dy = -4; dy <= 4; dy++) {
            for (int dx = -4; dx <= 4; dx++) {
                int rgb = image.getRGB(x + dx, y + dy);
                sum +=
                        0.299 * (rgb >> 16 & 0xff)
                                + 0.587 * (rgb >> 8 & 0xff)
                                + 0.114 * (rgb & 0xff);
            }
        }
        return sum / 81;
    }
}
