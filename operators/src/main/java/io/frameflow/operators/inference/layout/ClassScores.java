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
}
