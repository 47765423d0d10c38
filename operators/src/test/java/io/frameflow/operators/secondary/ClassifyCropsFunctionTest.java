package io.frameflow.operators.secondary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import io.frameflow.operators.inference.InferenceResult;
import io.frameflow.records.Attribute;
import io.frameflow.records.Detection;
import io.frameflow.records.Frame;
import io.frameflow.records.FrameDetections;
import io.frameflow.testkit.TinyOnnxModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ClassifyCropsFunction} in a harness, with a classifier the test writes (a crop's dominant
 * colour, {@link TinyOnnxModels#dominantColour}) on JPEG frames with a red person (track 1), a blue
 * person (track 2), a green car (track 3, not a class the classifier is for) and a person too small
 * to classify (track 4).
 */
class ClassifyCropsFunctionTest {

    private static final long T0 = 1_000_000;

    @TempDir static Path dir;
    private static Path model;
    private static byte[] jpeg;

    private ClassifyCropsFunction function;
    private KeyedOneInputStreamOperatorTestHarness<
                    String, InferenceResult.Detected, InferenceResult.Detected>
            harness;

    private static final Detection RED_PERSON = box("person", 1, 20, 30, 80, 200);
    private static final Detection BLUE_PERSON = box("person", 2, 200, 20, 260, 220);
    private static final Detection GREEN_CAR = box("car", 3, 100, 150, 180, 230);
    private static final Detection TINY_PERSON = box("person", 4, 290, 10, 300, 20);

    private static Detection box(String label, long track, float x1, float y1, float x2, float y2) {
        return new Detection(label, 0, 0.9f, x1, y1, x2, y2, null).withTrackId(track);
    }

    @BeforeAll
    static void prepare() {
        model =
                TinyOnnxModels.writeDominantColour(
                        dir.resolve("colour.onnx"),
                        32,
                        0,
                        false,
                        Map.of("names", "{0: 'red', 1: 'green', 2: 'blue'}"));
        try (Mat m = new Mat(240, 320, CV_8UC3, new Scalar(128, 128, 128, 0))) {
            paint(m, RED_PERSON, new Scalar(30, 20, 220, 0));
            paint(m, BLUE_PERSON, new Scalar(210, 60, 20, 0));
            paint(m, GREEN_CAR, new Scalar(40, 200, 30, 0));
            try (BytePointer out = new BytePointer()) {
                imencode(".jpg", m, out);
                jpeg = new byte[(int) out.limit()];
                out.get(jpeg);
            }
        }
    }

    private static void paint(Mat m, Detection d, Scalar bgr) {
        try (Rect r =
                        new Rect(
                                (int) d.x1(),
                                (int) d.y1(),
                                (int) (d.x2() - d.x1()),
                                (int) (d.y2() - d.y1()));
                Mat patch = new Mat(m, r)) {
            patch.put(bgr);
        }
    }

    private KeyedOneInputStreamOperatorTestHarness<
                    String, InferenceResult.Detected, InferenceResult.Detected>
            harness(OperatorSubtaskState restore) throws Exception {
        return harness(restore, model, Duration.ZERO);
    }

    private KeyedOneInputStreamOperatorTestHarness<
                    String, InferenceResult.Detected, InferenceResult.Detected>
            harness(OperatorSubtaskState restore, Path file, Duration poll) throws Exception {
        function =
                new ClassifyCropsFunction(file.toString(), null, null, Set.of("person"), 16, poll);
        KeyedOneInputStreamOperatorTestHarness<
                        String, InferenceResult.Detected, InferenceResult.Detected>
                h =
                        new KeyedOneInputStreamOperatorTestHarness<>(
                                new KeyedProcessOperator<>(function),
                                d -> d.frame().camera(),
                                Types.STRING);
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    @BeforeEach
    void open() throws Exception {
        harness = harness(null);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    /** One frame at {@code ts} through the function; its detections by track id. */
    private List<Detection> frame(long seq, long ts, boolean predicted) throws Exception {
        Frame frame = new Frame("cam", seq, ts, Frame.JPEG, jpeg, "frames", 0, seq);
        List<Detection> in = List.of(TINY_PERSON, GREEN_CAR, BLUE_PERSON, RED_PERSON);
        harness.processElement(
                new StreamRecord<>(
                        new InferenceResult.Detected(
                                frame,
                                new FrameDetections(
                                        "cam", seq, ts, 320, 240, "yolox_nano", 1, in, predicted)),
                        ts));
        List<InferenceResult.Detected> out = harness.extractOutputValues();
        List<Detection> last = new ArrayList<>(out.get(out.size() - 1).detections().detections());
        last.sort(Comparator.comparingLong(Detection::trackId));
        return last;
    }

    private static String attribute(Detection d) {
        if (d.attributes() == null) {
            return null;
        }
        assertThat(d.attributes()).hasSize(1);
        Attribute a = d.attributes()[0];
        assertThat(a.model()).matches("colour@[0-9a-f]{8}");
        assertThat(a.score()).isGreaterThan(0.99f);
        return a.label();
    }

    @Test
    void eachPersonIsClassifiedOncePerTrackAndEveryFrameCarriesIt() throws Exception {
        for (int i = 0; i < 10; i++) {
            List<Detection> out = frame(i, T0 + i * 100L, false);
            assertThat(out)
                    .extracting(ClassifyCropsFunctionTest::attribute)
                    .as("frame %d", i)
                    .containsExactly("red", "blue", null, null);
        }
        assertThat(function.cropsClassified()).as("two tracks, once each").isEqualTo(2);

        List<Detection> predicted = frame(10, T0 + 5_000, true);
        assertThat(predicted)
                .extracting(ClassifyCropsFunctionTest::attribute)
                .containsExactly("red", "blue", null, null);
        assertThat(function.cropsClassified())
                .as("a predicted box is not worth a crop, however late")
                .isEqualTo(2);

        frame(11, T0 + 5_100, false);
        assertThat(function.cropsClassified()).as("2 s passed: both again").isEqualTo(4);
    }

    @Test
    void aTracksAverageSurvivesARestore() throws Exception {
        frame(0, T0, false);
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        harness = harness(snapshot);
        List<Detection> out = frame(1, T0 + 100, false);
        assertThat(out)
                .extracting(ClassifyCropsFunctionTest::attribute)
                .containsExactly("red", "blue", null, null);
        assertThat(function.cropsClassified()).as("restored tracks need no new crop").isZero();
    }

    private static String version(Path file) throws Exception {
        return java.util.HexFormat.of()
                .formatHex(
                        java.security.MessageDigest.getInstance("SHA-256")
                                .digest(java.nio.file.Files.readAllBytes(file)))
                .substring(0, 8);
    }

    /** Writes {@code bytes} beside {@code file} and renames them over it, as a rollout does. */
    private static void replace(Path file, byte[] bytes) throws Exception {
        Path beside = file.resolveSibling(file.getFileName() + ".new");
        java.nio.file.Files.write(beside, bytes);
        java.nio.file.Files.move(
                beside,
                file,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The versions named by the attributes of the frame's people (one, never a mix). */
    private static String attributeVersion(List<Detection> out) {
        java.util.Set<String> models = new java.util.HashSet<>();
        for (Detection d : out) {
            if (d.attributes() != null) {
                models.add(d.attributes()[0].model());
            }
        }
        assertThat(models).as("one version per frame").hasSize(1);
        return models.iterator().next();
    }

    @Test
    void aReplacedClassifierIsSwappedInWithoutARestartAndABrokenOneIsRefused() throws Exception {
        Path file =
                TinyOnnxModels.writeDominantColour(
                        dir.resolve("rollout.onnx"),
                        32,
                        0,
                        false,
                        Map.of("names", "{0: 'red', 1: 'green', 2: 'blue'}"));
        String first = "rollout@" + version(file);
        harness.close();
        harness = harness(null, file, Duration.ofMillis(1));
        long now = 1_000;
        harness.setProcessingTime(now);
        assertThat(attributeVersion(frame(0, T0, false))).isEqualTo(first);

        // the same classifier with German class names: a new file, a new version
        replace(
                file,
                TinyOnnxModels.dominantColour(
                        32, 0, false, Map.of("names", "{0: 'rot', 1: 'grün', 2: 'blau'}")));
        String second = "rollout@" + version(file);
        assertThat(second).isNotEqualTo(first);
        List<Detection> out = null;
        for (int i = 1; i < 500; i++) {
            harness.setProcessingTime(now += 10);
            out = frame(i, T0 + i * 100L, false);
            if (attributeVersion(out).equals(second)) {
                break;
            }
            assertThat(attributeVersion(out)).isEqualTo(first);
            Thread.sleep(10); // the new version loads on a thread of its own
        }
        assertThat(attributeVersion(out)).as("swapped in").isEqualTo(second);
        // every track starts afresh under the new version: its classes, not a mix with the old
        assertThat(out)
                .extracting(d -> d.attributes() == null ? null : d.attributes()[0].label())
                .containsExactly("rot", "blau", null, null);
        assertThat(function.cropsClassified()).as("the new version's crops").isEqualTo(2);

        byte[] broken = new byte[4096];
        new java.util.Random(3).nextBytes(broken);
        replace(file, broken);
        for (int i = 0; i < 500 && function.reloadFailures() == 0; i++) {
            harness.setProcessingTime(now += 10);
            out = frame(1000 + i, T0 + 100_000 + i * 100L, false);
            Thread.sleep(10);
        }
        assertThat(function.reloadFailures()).as("refused once").isEqualTo(1);
        for (int i = 0; i < 5; i++) {
            harness.setProcessingTime(now += 10);
            out = frame(2000 + i, T0 + 200_000 + i * 100L, false);
        }
        assertThat(attributeVersion(out)).as("the running version stays").isEqualTo(second);
        assertThat(function.reloadFailures()).as("not tried again until it changes").isEqualTo(1);
    }
}
