package io.frameflow.operators.postprocess;

import java.nio.FloatBuffer;
import java.util.List;

/**
 * Ultra-Light-Fast face detector with in-graph prior decoding: {@code scores [1, N, 2]} (softmax
 * background/face) and {@code boxes [1, N, 4]} (x1, y1, x2, y2 normalized to [0, 1]).
 */
public final class UltraFaceDecoder implements OutputDecoder {

    private final int anchors;
    private final int inputWidth;
    private final int inputHeight;

    public UltraFaceDecoder(int anchors, int inputWidth, int inputHeight) {
        this.anchors = anchors;
        this.inputWidth = inputWidth;
        this.inputHeight = inputHeight;
    }

    /** Output order: scores, boxes. */
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
