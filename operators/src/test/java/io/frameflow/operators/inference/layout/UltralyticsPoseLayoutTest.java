package io.frameflow.operators.inference.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameflow.operators.inference.ModelFormat;
import io.frameflow.operators.inference.ModelProfile;
import io.frameflow.operators.inference.ModelSignature;
import io.frameflow.operators.postprocess.Candidate;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pose head decoded from a hand-written output: boxes, scores and keypoint triples. */
class UltralyticsPoseLayoutTest {

    private static LayoutContext context(Map<String, String> meta, long channels, long anchors) {
        ModelSignature sig =
                new ModelSignature(
                        "pose.onnx",
                        Map.of("images", new long[] {1, 3, 640, 640}),
                        Map.of("output0", new long[] {1, channels, anchors}),
                        meta);
        return new LayoutContext(
                sig, ModelFormat.ULTRALYTICS_POSE, "images", 640, 640, false, List.of());
    }

    @Test
    void decodesBoxScoreAndEachKeypointsXYAndConfidence() {
        int points = 17;
        int channels = 5 + points * 3;
        int anchors = 100; // the layout checks the head is channel-major: channels < anchors
        float[] o = new float[channels * anchors];
        // anchor 1: a person at (320, 240), 100 x 200, score 0.9; keypoint p at (300 + p, 150 + 2p)
        // with confidence p / 20; anchors 0 and 2 below the threshold, the others 0
        int a = 1;
        o[a] = 320;
        o[anchors + a] = 240;
        o[2 * anchors + a] = 100;
        o[3 * anchors + a] = 200;
        o[4 * anchors + a] = 0.9f;
        o[4 * anchors] = 0.1f;
        o[4 * anchors + 2] = 0.2f;
        for (int p = 0; p < points; p++) {
            int row = 5 + p * 3;
            o[row * anchors + a] = 300 + p;
            o[(row + 1) * anchors + a] = 150 + 2 * p;
            o[(row + 2) * anchors + a] = p / 20f;
        }
        ModelProfile profile =
                new UltralyticsPoseLayout()
                        .profile(context(Map.of("kpt_shape", "[17, 3]"), channels, anchors));
        List<Candidate> out = new ArrayList<>();
        profile.decoder().decode(new FloatBuffer[] {FloatBuffer.wrap(o)}, 0, 0.25f, out);

        assertThat(out).hasSize(1);
        Candidate c = out.get(0);
        assertThat(new float[] {c.x1(), c.y1(), c.x2(), c.y2(), c.score()})
                .containsExactly(270, 140, 370, 340, 0.9f);
        assertThat(c.keypoints()).hasSize(points * 3);
        for (int p = 0; p < points; p++) {
            assertThat(c.keypoints()[p * 3]).isEqualTo(300 + p);
            assertThat(c.keypoints()[p * 3 + 1]).isEqualTo(150 + 2 * p);
            assertThat(c.keypoints()[p * 3 + 2]).isEqualTo(p / 20f);
        }
        assertThat(profile.labels()).containsExactly("person");
    }

    @Test
    void keypointsWithoutConfidenceGetOne() {
        int channels = 5 + 4 * 2;
        int anchors = 20;
        float[] o = new float[channels * anchors];
        o[2 * anchors] = 10;
        o[3 * anchors] = 10;
        o[4 * anchors] = 0.8f;
        for (int row = 5; row < channels; row++) {
            o[row * anchors] = row;
        }
        ModelProfile profile =
                new UltralyticsPoseLayout()
                        .profile(context(Map.of("kpt_shape", "[4, 2]"), channels, anchors));
        List<Candidate> out = new ArrayList<>();
        profile.decoder().decode(new FloatBuffer[] {FloatBuffer.wrap(o)}, 0, 0.25f, out);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).keypoints()).containsExactly(5, 6, 1, 7, 8, 1, 9, 10, 1, 11, 12, 1);
    }

    @Test
    void channelsThatDoNotFitTheDeclaredKeypointsFailAtStartUp() {
        assertThatThrownBy(
                        () ->
                                new UltralyticsPoseLayout()
                                        .profile(context(Map.of("kpt_shape", "[17, 3]"), 40, 8400)))
                .hasMessageContaining("does not fit --model-format ultralytics-pose")
                .hasMessageContaining("kpt_shape");
        assertThatThrownBy(
                        () ->
                                new UltralyticsPoseLayout()
                                        .profile(context(Map.of("kpt_shape", "[17, 4]"), 73, 8400)))
                .hasMessageContaining("2 (x, y) or 3 (x, y, confidence)");
    }
}
