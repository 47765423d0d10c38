package io.frameflow.operators.secondary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import io.frameflow.operators.inference.ModelFormatException;
import io.frameflow.testkit.SharedResources;
import io.frameflow.testkit.TinyOnnxModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classifier on crops, with a classifier the test writes ({@link
 * TinyOnnxModels#dominantColour}: it names a crop's dominant colour), on a frame with a red, a
 * green and a blue patch on grey: each box must come back as its own patch's colour, which only
 * holds if the crop is cut where the box says and the channels reach the model as R, G, B.
 */
class CropClassifierTest {

    private static final float[] RED = {20, 30, 80, 150}; // x1, y1, x2, y2
    private static final float[] GREEN = {120, 40, 170, 200};
    private static final float[] BLUE = {220.4f, 10.6f, 319.9f, 239.5f}; // to the frame's edge

    private static Mat frame;

    @TempDir static Path dir;

    @BeforeAll
    static void paint() {
        frame = new Mat(240, 320, CV_8UC3, new Scalar(128, 128, 128, 0));
        fill(RED, new Scalar(30, 20, 220, 0)); // OpenCV's order: B, G, R
        fill(GREEN, new Scalar(40, 200, 30, 0));
        fill(BLUE, new Scalar(210, 60, 20, 0));
    }

    private static void fill(float[] box, Scalar bgr) {
        try (Rect r = CropClassifier.clip(box, 320, 240);
                Mat patch = new Mat(frame, r)) {
            patch.put(bgr);
        }
    }

    @AfterAll
    static void free() {
        frame.close();
    }

    private static CropClassifier open(
            String name, int batch, boolean logits, Map<String, String> metadata, Path labels) {
        Path file =
                TinyOnnxModels.writeDominantColour(dir.resolve(name), 32, batch, logits, metadata);
        return CropClassifier.open(file, labels, null);
    }

    private static List<String> labelsOf(CropClassifier c, float[][] probabilities) {
        return java.util.Arrays.stream(probabilities).map(p -> c.labels().get(argmax(p))).toList();
    }

    @Test
    void eachBoxIsNamedForTheColourUnderItInOneBatch() throws Exception {
        try (CropClassifier c =
                open(
                        "colour.onnx",
                        0,
                        false,
                        Map.of(
                                "names",
                                "{0: 'red', 1: 'green', 2: 'blue'}",
                                "author",
                                "Ultralytics"),
                        null)) {
            assertThat(c.labels()).containsExactly("red", "green", "blue");
            assertThat(c.normalization()).isEqualTo(CropClassifier.Normalization.UNIT);
            assertThat(c.model()).matches("colour@[0-9a-f]{8}");
            float[][] p = c.classify(frame, List.of(BLUE, RED, GREEN, RED));
            assertThat(labelsOf(c, p)).containsExactly("blue", "red", "green", "red");
            for (float[] one : p) {
                assertThat(max(one)).isGreaterThan(0.99f);
            }
        }
    }

    @Test
    void aModelOfBatchOneRunsTheCropsOneByOne() throws Exception {
        try (CropClassifier c = open("one.onnx", 1, false, Map.of(), null)) {
            assertThat(c.labels()).containsExactly("class0", "class1", "class2");
            // no Ultralytics metadata: ImageNet's normalisation, which keeps the dominant channel
            assertThat(c.normalization()).isEqualTo(CropClassifier.Normalization.IMAGENET);
            float[][] p = c.classify(frame, List.of(GREEN, BLUE, RED));
            assertThat(labelsOf(c, p)).containsExactly("class1", "class2", "class0");
        }
    }

    @Test
    void logitsBecomeProbabilities() throws Exception {
        Path labels = Files.writeString(dir.resolve("colours.txt"), "red\ngreen\nblue\n");
        try (CropClassifier c = open("logits.onnx", 0, true, Map.of(), labels)) {
            float[][] p = c.classify(frame, List.of(RED));
            assertThat(labelsOf(c, p)).containsExactly("red");
            assertThat(p[0][0] + p[0][1] + p[0][2])
                    .isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
            for (float v : p[0]) {
                assertThat(v).isBetween(0f, 1f);
            }
        }
    }

    @Test
    void labelsThatDoNotNumberTheClassesAreRefused() throws Exception {
        Path two = Files.writeString(dir.resolve("two.txt"), "red\ngreen\n");
        Path file =
                TinyOnnxModels.writeDominantColour(dir.resolve("c.onnx"), 32, 0, false, Map.of());
        assertThatThrownBy(() -> CropClassifier.open(file, two, null))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("gives 3 class scores but its labels name 2");
    }

    @Test
    void aDetectorIsNotAClassifier() {
        assertThatThrownBy(
                        () ->
                                CropClassifier.open(
                                        SharedResources.model("yolox_nano.onnx"), null, null))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("expected one image input [N, 3, H, W] and an output [N, C]");
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            best = v[i] > v[best] ? i : best;
        }
        return best;
    }

    private static float max(float[] v) {
        float m = v[0];
        for (float x : v) {
            m = Math.max(m, x);
        }
        return m;
    }
}
