package io.frameflow.operators.postprocess;

import java.nio.FloatBuffer;
import java.util.List;

/**
 * YOLOv5-style rows {@code [1, N, 5+nc]}: cx, cy, w, h already decoded in input pixels, then
 * objectness and class probabilities. score = obj * max class prob.
 */
public final class Yolov5Decoder implements OutputDecoder {

    private final int rows;
    private final int width;

    public Yolov5Decoder(int rows, int rowWidth) {
        this.rows = rows;
        this.width = rowWidth;
    }

    @Override
    public void decode(FloatBuffer[] outputs, int item, float threshold, List<Candidate> out) {
        FloatBuffer o = outputs[0];
        int base = item * rows * width;
        int nc = width - 5;
        for (int r = 0; r < rows; r++) {
            int p = base + r * width;
            float obj = o.get(p + 4);
            if (obj <= threshold) {
                continue;
            }
            int best = 0;
            float bestP = o.get(p + 5);
            for (int k = 1; k < nc; k++) {
                float v = o.get(p + 5 + k);
                if (v > bestP) {
                    bestP = v;
                    best = k;
                }
            }
            float score = obj * bestP;
            if (score > threshold) {
                out.add(
                        Candidate.ofCenter(
                                o.get(p),
                                o.get(p + 1),
                                o.get(p + 2),
                                o.get(p + 3),
                                score,
                                best,
                                null));
            }
        }
    }
}
