package io.frameflow.operators.postprocess;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Greedy hard non-maximum suppression, highest score first. */
public final class Nms {

    private Nms() {}

    /**
     * @param classAware when true a box only suppresses boxes of its own class
     * @return the kept boxes, highest score first
     */
    public static List<Candidate> suppress(
            List<Candidate> candidates, float iouThreshold, boolean classAware) {
        List<Candidate> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparingDouble(Candidate::score).reversed());
        List<Candidate> kept = new ArrayList<>();
        boolean[] removed = new boolean[sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            if (removed[i]) {
                continue;
            }
            Candidate best = sorted.get(i);
            kept.add(best);
            for (int j = i + 1; j < sorted.size(); j++) {
                if (removed[j]) {
                    continue;
                }
                Candidate other = sorted.get(j);
                if (classAware && other.classId() != best.classId()) {
                    continue;
                }
                if (best.iou(other) > iouThreshold) {
                    removed[j] = true;
                }
            }
        }
        return kept;
    }
}
