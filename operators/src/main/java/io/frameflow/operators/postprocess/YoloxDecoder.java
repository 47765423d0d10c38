package io.frameflow.operators.postprocess;

import java.nio.FloatBuffer;
import java.util.List;

/**
 * YOLOX rows {@code [1, N, 5+nc]}: raw grid offsets over strides 8/16/32 (row-major inside each
 * stride), objectness and class probabilities already sigmoid. score = obj * max class prob.
 */
public final class YoloxDecoder implements OutputDecoder {

    private static final int[] STRIDES = {8, 16, 32};

    private final int rows;
    private final int width;
    private final int[] gridX;
    private final int[] gridY;
    private final int[] stride;

    public YoloxDecoder(int inputWidth, int inputHeight, int rows, int rowWidth) {
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

    /** Rows a YOLOX head has for this input size. */
    public static long gridCells(long w, long h) {
        long n = 0;
        for (int s : STRIDES) {
            n += (w / s) * (h / s);
        }
        return n;
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
