package io.frameflow.operators.postprocess;

import java.nio.FloatBuffer;
import java.util.List;

/**
 * YuNet (libfacedetection) heads: for each stride 8/16/32, {@code cls}, {@code obj}, {@code bbox}
 * (4) and {@code kps} (10) per grid cell. score = sqrt(cls * obj) as OpenCV's FaceDetectorYN.
 * Landmarks: right eye, left eye, nose tip, right and left mouth corner.
 */
public final class YuNetDecoder implements OutputDecoder {

    /** Output order this decoder expects. */
    public static final List<String> OUTPUTS =
            List.of(
                    "cls_8", "cls_16", "cls_32", "obj_8", "obj_16", "obj_32", "bbox_8", "bbox_16",
                    "bbox_32", "kps_8", "kps_16", "kps_32");

    private static final int[] STRIDES = {8, 16, 32};

    private final int inputWidth;
    private final int inputHeight;

    public YuNetDecoder(int inputWidth, int inputHeight) {
        this.inputWidth = inputWidth;
        this.inputHeight = inputHeight;
    }

    /** Cells of the stride-s head for this input size. */
    public static int cells(int width, int height, int stride) {
        return (height / stride) * (width / stride);
    }

    @Override
    public void decode(FloatBuffer[] outputs, int item, float threshold, List<Candidate> out) {
        for (int si = 0; si < STRIDES.length; si++) {
            int s = STRIDES[si];
            int cols = inputWidth / s;
            int n = cells(inputWidth, inputHeight, s);
            FloatBuffer cls = outputs[si];
            FloatBuffer obj = outputs[3 + si];
            FloatBuffer bbox = outputs[6 + si];
            FloatBuffer kps = outputs[9 + si];
            for (int i = 0; i < n; i++) {
                int idx = item * n + i;
                float c = clamp01(cls.get(idx));
                float o = clamp01(obj.get(idx));
                float score = (float) Math.sqrt(c * o);
                if (score <= threshold) {
                    continue;
                }
                int r = i / cols;
                int col = i % cols;
                int b = idx * 4;
                float cx = (col + bbox.get(b)) * s;
                float cy = (r + bbox.get(b + 1)) * s;
                float w = (float) Math.exp(bbox.get(b + 2)) * s;
                float h = (float) Math.exp(bbox.get(b + 3)) * s;
                float[] lm = new float[10];
                int k = idx * 10;
                for (int p = 0; p < 5; p++) {
                    lm[2 * p] = (kps.get(k + 2 * p) + col) * s;
                    lm[2 * p + 1] = (kps.get(k + 2 * p + 1) + r) * s;
                }
                out.add(Candidate.ofCenter(cx, cy, w, h, score, 0, lm));
            }
        }
    }

    private static float clamp01(float v) {
        return v < 0f ? 0f : (v > 1f ? 1f : v);
    }
}
