package io.frameflow.operators.postprocess;

import java.nio.FloatBuffer;
import java.util.List;

/**
 * FastestDet single-scale grid {@code [1, 5+nc, G, G]}: per cell obj, tanh x/y offsets, sigmoid w/h
 * (fractions of the image), class probabilities. score = obj^0.6 * max_cls^0.4 as in the reference
 * runtime.
 */
public final class FastestDetDecoder implements OutputDecoder {

    private final int channels;
    private final int gridH;
    private final int gridW;
    private final int inputWidth;
    private final int inputHeight;

    public FastestDetDecoder(int channels, int gridH, int gridW, int inputWidth, int inputHeight) {
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
