package io.frameflow.operators.inference.layout;

import java.nio.FloatBuffer;

/** Reading a run of per-class probabilities in an output row. */
final class ClassScores {

    private ClassScores() {}

    /** Index of the highest of the {@code count} probabilities starting at {@code at}. */
    static int best(FloatBuffer o, int at, int count) {
        int best = 0;
        float bestP = o.get(at);
        for (int k = 1; k < count; k++) {
            float v = o.get(at + k);
            if (v > bestP) {
                bestP = v;
                best = k;
            }
        }
        return best;
    }

    /**
     * Channel-major heads ({@code [C, N]}, one row per channel): the class of anchor {@code a}
     * whose score, in rows {@code firstRow} to {@code firstRow + count - 1}, is highest and above
     * {@code threshold}, or -1 when none is.
     */
    static int bestAbove(
            FloatBuffer o, int base, int anchors, int a, int firstRow, int count, float threshold) {
        int best = -1;
        float bestP = threshold;
        for (int k = 0; k < count; k++) {
            float v = o.get(base + (firstRow + k) * anchors + a);
            if (v > bestP) {
                bestP = v;
                best = k;
            }
        }
        return best;
    }
}
