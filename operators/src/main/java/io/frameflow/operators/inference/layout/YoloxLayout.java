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
 * YOLOX rows {@code [1, N, 5+nc]}: raw grid offsets over strides 8/16/32 (row-major inside each
 * stride), objectness and class probabilities already sigmoid; one row per grid cell. BGR 0..255,
 * top-left letterbox padded with 114.
 */
public final class YoloxLayout implements OutputLayout {

    private static final int[] STRIDES = {8, 16, 32};

    /** Grid cells over strides 8/16/32 for this input size (rows of a YOLOX head). */
    public static long gridCells(long w, long h) {
        long n = 0;
        for (int s : STRIDES) {
            n += (w / s) * (h / s);
        }
        return n;
    }

    @Override
    public Defaults defaults() {
        return new Defaults(0.30f, 0.45f, false);
    }

    /** One {@code [1, cells, 5+nc]} output. */
    @Override
    public Recognition recognize(ModelSignature sig, int inputWidth, int inputHeight) {
        if (sig.outputs().size() == 1 && inputWidth > 0 && inputHeight > 0) {
            long[] s = sig.output(0);
            if (s.length == 3 && s[1] == gridCells(inputWidth, inputHeight) && s[2] >= 6) {
                return Recognition.BY_SHAPE;
            }
        }
        return Recognition.NO;
    }

    @Override
    public ModelProfile profile(LayoutContext m) {
        long[] s = m.singleOutput(3, "[1, N, 5+nc]");
        int width = (int) s[2];
        long cells = gridCells(m.width(), m.height());
        int rows = s[1] > 0 ? (int) s[1] : (int) cells;
        if (width < 6) {
            throw m.mismatch("[1, N, 5+nc] rows");
        }
        if (rows != cells) {
            throw m.mismatch(
                    "[1, "
                            + cells
                            + ", 5+nc] (one row per grid cell of strides 8/16/32 for a "
                            + m.width()
                            + "x"
                            + m.height()
                            + " input)");
        }
        return m.profile(
                PreprocessSpec.of(ResizeMode.LETTERBOX_TOP_LEFT, false, 1f, 0f, 114, true),
                m.sig().outputNames(),
                List.of(new long[] {rows, width}),
                new Decoder(m.width(), m.height(), rows, width),
                m.labelsFor(width - 5));
    }

    /** score = objectness x max class probability; boxes from grid offsets and strides. */
    public static final class Decoder implements OutputDecoder {

        private final int rows;
        private final int width;
        private final int[] gridX;
        private final int[] gridY;
        private final int[] stride;

        public Decoder(int inputWidth, int inputHeight, int rows, int rowWidth) {
            this.rows = rows;
            this.width = rowWidth;
            this.gridX = new int[rows];
            this.gridY = new int[rows];
            this.stride = new int[rows];
            int i = 0;
            for (int s : STRIDES) {
                int gh = inputHeight / s;
                int gw = inputWidth / s;
                for (int gy = 0; gy < gh; gy++) {
                    for (int gx = 0; gx < gw; gx++) {
                        if (i < rows) {
                            gridX[i] = gx;
                            gridY[i] = gy;
                            stride[i] = s;
                        }
                        i++;
                    }
                }
            }
            if (i != rows) {
                throw new IllegalArgumentException(
                        "YOLOX grid for input "
                                + inputWidth
                                + "x"
                                + inputHeight
                                + " over strides 8/16/32 has "
                                + i
                                + " cells, the output has "
                                + rows
                                + " rows");
            }
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
                    continue; // score = obj * p <= obj
                }
                int best = ClassScores.best(o, p + 5, nc);
                float score = obj * o.get(p + 5 + best);
                if (score <= threshold) {
                    continue;
                }
                int s = stride[r];
                float cx = (o.get(p) + gridX[r]) * s;
                float cy = (o.get(p + 1) + gridY[r]) * s;
                float w = (float) Math.exp(o.get(p + 2)) * s;
                float h = (float) Math.exp(o.get(p + 3)) * s;
                out.add(Candidate.ofCenter(cx, cy, w, h, score, best, null));
            }
        }
    }
}
