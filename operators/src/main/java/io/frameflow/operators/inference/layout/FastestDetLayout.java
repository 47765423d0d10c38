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
 * FastestDet single-scale grid {@code [1, 5+nc, H/16, W/16]}: per cell obj, tanh x/y offsets,
 * sigmoid w/h (fractions of the image), class probabilities. BGR /255, stretched to the input.
 */
public final class FastestDetLayout implements OutputLayout {

    @Override
    public Defaults defaults() {
        return new Defaults(0.65f, 0.45f, false);
    }

    /** One {@code [1, C, H/16, W/16]} output. */
    @Override
    public Recognition recognize(ModelSignature sig, int inputWidth, int inputHeight) {
        if (sig.outputs().size() == 1) {
            long[] s = sig.output(0);
            if (s.length == 4
                    && s[1] >= 6
                    && s[2] > 0
                    && s[2] == inputHeight / 16
                    && s[3] == inputWidth / 16) {
                return Recognition.BY_SHAPE;
            }
        }
        return Recognition.NO;
    }

    @Override
    public ModelProfile profile(LayoutContext m) {
        long[] s = m.singleOutput(4, "[1, 5+nc, G, G]");
        if (s[1] < 6 || s[2] <= 0 || s[3] <= 0) {
            throw m.mismatch("[1, 5+nc, H/16, W/16]");
        }
        return m.profile(
                PreprocessSpec.of(ResizeMode.STRETCH, false, 1f / 255f, 0f, 0, true),
                m.sig().outputNames(),
                List.of(new long[] {s[1], s[2], s[3]}),
                new Decoder((int) s[1], (int) s[2], (int) s[3], m.width(), m.height()),
                m.labelsFor((int) s[1] - 5));
    }

    /** score = obj^0.6 * max_cls^0.4, as in the reference runtime. */
    public static final class Decoder implements OutputDecoder {

        private final int channels;
        private final int gridH;
        private final int gridW;
        private final int inputWidth;
        private final int inputHeight;

        public Decoder(int channels, int gridH, int gridW, int inputWidth, int inputHeight) {
            this.channels = channels;
            this.gridH = gridH;
            this.gridW = gridW;
            this.inputWidth = inputWidth;
            this.inputHeight = inputHeight;
        }

        @Override
        public void decode(FloatBuffer[] outputs, int item, float threshold, List<Candidate> out) {
            FloatBuffer o = outputs[0];
            int plane = gridH * gridW;
            int base = item * channels * plane;
            for (int gy = 0; gy < gridH; gy++) {
                for (int gx = 0; gx < gridW; gx++) {
                    int cell = base + gy * gridW + gx;
                    float obj = o.get(cell);
                    int best = 0;
                    float bestP = o.get(cell + 5 * plane);
                    for (int k = 1; k < channels - 5; k++) {
                        float v = o.get(cell + (5 + k) * plane);
                        if (v > bestP) {
                            bestP = v;
                            best = k;
                        }
                    }
                    float score =
                            (float)
                                    (Math.pow(Math.max(obj, 0f), 0.6)
                                            * Math.pow(Math.max(bestP, 0f), 0.4));
                    if (score <= threshold) {
                        continue;
                    }
                    float cx = (gx + (float) Math.tanh(o.get(cell + plane))) / gridW;
                    float cy = (gy + (float) Math.tanh(o.get(cell + 2 * plane))) / gridH;
                    float w = sigmoid(o.get(cell + 3 * plane));
                    float h = sigmoid(o.get(cell + 4 * plane));
                    out.add(
                            Candidate.ofCenter(
                                    cx * inputWidth,
                                    cy * inputHeight,
                                    w * inputWidth,
                                    h * inputHeight,
                                    score,
                                    best,
                                    null));
                }
            }
        }

        private static float sigmoid(float x) {
            return (float) (1.0 / (1.0 + Math.exp(-x)));
        }
    }
}
