package io.frameflow.operators.inference.layout;

import io.frameflow.operators.inference.ModelProfile;
import io.frameflow.operators.inference.ModelSignature;
import io.frameflow.operators.postprocess.Candidate;
import io.frameflow.operators.postprocess.OutputDecoder;
import io.frameflow.operators.preprocess.PreprocessSpec;
import io.frameflow.operators.preprocess.ResizeMode;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * YuNet (libfacedetection) heads: for each stride 8/16/32, {@code cls}, {@code obj}, {@code bbox}
 * (4) and {@code kps} (10) per grid cell; faces with 5 landmarks (right eye, left eye, nose tip,
 * right and left mouth corner). BGR 0..255, top-left letterbox never upscaled, padded with 0. The
 * input size is dynamic: frames fit a 640x640 canvas so frames of every camera batch together.
 */
public final class YuNetLayout implements OutputLayout {

    /** Output order the decoder reads. */
    public static final List<String> OUTPUTS =
            List.of(
                    "cls_8", "cls_16", "cls_32", "obj_8", "obj_16", "obj_32", "bbox_8", "bbox_16",
                    "bbox_32", "kps_8", "kps_16", "kps_32");

    private static final int[] STRIDES = {8, 16, 32};

    /** Cells of the stride-s head for this input size. */
    static int cells(int width, int height, int stride) {
        return (height / stride) * (width / stride);
    }

    @Override
    public boolean faceLandmarks() {
        return true;
    }

    @Override
    public Defaults defaults() {
        return new Defaults(0.50f, 0.30f, false);
    }

    /** By its 12 output names. */
    @Override
    public Recognition recognize(ModelSignature sig, int inputWidth, int inputHeight) {
        return sig.outputNames().containsAll(OUTPUTS) ? Recognition.DECLARED : Recognition.NO;
    }

    @Override
    public ModelProfile profile(LayoutContext m) {
        if (!m.sig().outputNames().containsAll(OUTPUTS)) {
            throw m.mismatch("12 outputs named " + String.join(", ", OUTPUTS));
        }
        int w = m.width();
        int h = m.height();
        if (w % 32 != 0 || h % 32 != 0) {
            throw m.mismatch("an input size that is a multiple of 32");
        }
        List<long[]> shapes = new ArrayList<>();
        int[] widths = {1, 1, 1, 1, 1, 1, 4, 4, 4, 10, 10, 10};
        for (int i = 0; i < 12; i++) {
            shapes.add(new long[] {cells(w, h, STRIDES[i % 3]), widths[i]});
        }
        return m.profile(
                PreprocessSpec.of(ResizeMode.LETTERBOX_TOP_LEFT, false, 1f, 0f, 0, false),
                OUTPUTS,
                shapes,
                new Decoder(w, h),
                m.labelsOr("face"));
    }

    /** score = sqrt(cls * obj), as OpenCV's FaceDetectorYN. */
    public static final class Decoder implements OutputDecoder {

        private final int inputWidth;
        private final int inputHeight;

        public Decoder(int inputWidth, int inputHeight) {
            this.inputWidth = inputWidth;
            this.inputHeight = inputHeight;
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
}
