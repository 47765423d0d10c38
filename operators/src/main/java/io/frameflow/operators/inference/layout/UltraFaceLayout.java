package io.frameflow.operators.inference.layout;

import io.frameflow.operators.inference.ModelProfile;
import io.frameflow.operators.inference.ModelSignature;
import io.frameflow.operators.postprocess.Candidate;
import io.frameflow.operators.postprocess.OutputDecoder;
import io.frameflow.operators.preprocess.PreprocessSpec;
import io.frameflow.operators.preprocess.ResizeMode;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Ultra-Light-Fast face detector with in-graph prior decoding: {@code scores [1, N, 2]} (softmax
 * background/face) and {@code boxes [1, N, 4]} (x1, y1, x2, y2 normalized to [0, 1]). RGB
 * (x-127)/128, stretched to the input. Labels every box {@code face}.
 */
public final class UltraFaceLayout implements OutputLayout {

    private static final String EXPECTED = "scores [1, N, 2] and boxes [1, N, 4]";

    @Override
    public Defaults defaults() {
        return new Defaults(0.70f, 0.30f, false);
    }

    /** Two {@code [1, N, 2]} + {@code [1, N, 4]} outputs, in either order. */
    @Override
    public Recognition recognize(ModelSignature sig, int inputWidth, int inputHeight) {
        if (sig.outputs().size() == 2) {
            long[] a = sig.output(0);
            long[] b = sig.output(1);
            if (a.length == 3
                    && b.length == 3
                    && a[1] == b[1]
                    && ((a[2] == 2 && b[2] == 4) || (a[2] == 4 && b[2] == 2))) {
                return Recognition.BY_SHAPE;
            }
        }
        return Recognition.NO;
    }

    @Override
    public ModelProfile profile(LayoutContext m) {
        ModelSignature sig = m.sig();
        if (sig.outputs().size() != 2) {
            throw m.mismatch(EXPECTED);
        }
        String scores = null;
        String boxes = null;
        for (String name : sig.outputNames()) {
            long[] s = sig.outputs().get(name);
            if (s.length == 3 && s[2] == 2) {
                scores = name;
            } else if (s.length == 3 && s[2] == 4) {
                boxes = name;
            }
        }
        if (scores == null
                || boxes == null
                || sig.outputs().get(scores)[1] != sig.outputs().get(boxes)[1]
                || sig.outputs().get(scores)[1] <= 0) {
            throw m.mismatch(EXPECTED);
        }
        int anchors = (int) sig.outputs().get(scores)[1];
        return m.profile(
                PreprocessSpec.of(ResizeMode.STRETCH, true, 1f / 128f, -127f / 128f, 0, true),
                List.of(scores, boxes),
                List.of(new long[] {anchors, 2}, new long[] {anchors, 4}),
                new Decoder(anchors, m.width(), m.height()),
                m.labelsOr("face"));
    }

    /** Output order: scores, boxes. score = the face probability. */
    public static final class Decoder implements OutputDecoder {

        private final int anchors;
        private final int inputWidth;
        private final int inputHeight;

        public Decoder(int anchors, int inputWidth, int inputHeight) {
            this.anchors = anchors;
            this.inputWidth = inputWidth;
            this.inputHeight = inputHeight;
        }

        @Override
        public void decode(FloatBuffer[] outputs, int item, float threshold, List<Candidate> out) {
            FloatBuffer scores = outputs[0];
            FloatBuffer boxes = outputs[1];
            int sBase = item * anchors * 2;
            int bBase = item * anchors * 4;
            for (int a = 0; a < anchors; a++) {
                float score = scores.get(sBase + a * 2 + 1);
                if (score <= threshold) {
                    continue;
                }
                int b = bBase + a * 4;
                out.add(
                        new Candidate(
                                boxes.get(b) * inputWidth,
                                boxes.get(b + 1) * inputHeight,
                                boxes.get(b + 2) * inputWidth,
                                boxes.get(b + 3) * inputHeight,
                                score,
                                0,
                                null));
            }
        }
    }
}
