package io.frameflow.operators.postprocess;

import java.nio.FloatBuffer;
import java.util.List;

/**
 * Ultralytics YOLOv8/YOLO11 detect head {@code [1, 4+nc, N]} (channel-major): cx, cy, w, h in input
 * pixels, then class probabilities; no objectness. score = max class prob.
 */
public final class UltralyticsDecoder implements OutputDecoder {

    private final int channels;
    private final int anchors;

    public UltralyticsDecoder(int channels, int anchors) {
        this.channels = channels;
        this.anchors = anchors;
    }

    @Override
    public void decode(FloatBuffer[] outputs, int item, float threshold, List<Candidate> out) {
        FloatBuffer o = outputs[0];
        int base = item * channels * anchors;
        int nc = channels - 4;
        for (int a = 0; a < anchors; a++) {
            int best = -1;
            float bestP = threshold;
            for (int k = 0; k < nc; k++) {
                float v = o.get(base + (4 + k) * anchors + a);
                if (v > bestP) {
                    bestP = v;
                    best = k;
                }
            }
            if (best < 0) {
                continue;
            }
            out.add(
                    Candidate.ofCenter(
                            o.get(base + a),
                            o.get(base + anchors + a),
                            o.get(base + 2 * anchors + a),
                            o.get(base + 3 * anchors + a),
                            bestP,
                            best,
                            null));
        }
    }
}
