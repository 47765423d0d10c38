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
 * YOLOv5-style rows {@code [1, N, 5+nc]}: cx, cy, w, h already decoded in input pixels, then
 * objectness and class probabilities; three anchors per grid cell of strides 8/16/32. RGB /255,
 * centred letterbox padded with 114.
 */
public final class Yolov5Layout implements OutputLayout {

    @Override
    public Defaults defaults() {
        return new Defaults(0.25f, 0.45f, true);
    }

    /** One {@code [1, 3 x cells, 5+nc]} output. */
    @Override
    public Recognition recognize(ModelSignature sig, int inputWidth, int inputHeight) {
        if (sig.outputs().size() == 1 && inputWidth > 0 && inputHeight > 0) {
            long[] s = sig.output(0);
            long cells = YoloxLayout.gridCells(inputWidth, inputHeight);
            if (s.length == 3 && s[1] == 3 * cells && s[2] >= 6) {
                return Recognition.BY_SHAPE;
            }
        }
        return Recognition.NO;
    }

    @Override
    public ModelProfile profile(LayoutContext m) {
        long[] s = m.singleOutput(3, "[1, N, 5+nc]");
        int width = (int) s[2];
        int rows = s[1] > 0 ? (int) s[1] : (int) (3 * YoloxLayout.gridCells(m.width(), m.height()));
        if (width < 6) {
            throw m.mismatch("[1, N, 5+nc] rows");
        }
        return m.profile(
                PreprocessSpec.of(ResizeMode.LETTERBOX_CENTER, true, 1f / 255f, 0f, 114, true),
                m.sig().outputNames(),
                List.of(new long[] {rows, width}),
                new Decoder(rows, width),
                m.labelsFor(width - 5));
    }

    /** score = objectness x max class probability. */
    public static final class Decoder implements OutputDecoder {

        private final int rows;
        private final int width;

        public Decoder(int rows, int rowWidth) {
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
                int best = ClassScores.best(o, p + 5, nc);
                float score = obj * o.get(p + 5 + best);
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
}
