package io.frameflow.operators.face;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Known people by name, each with the mean of their enrolled embeddings, and the nearest one to a
 * face by cosine similarity. A face whose best similarity is below the threshold is {@link
 * #UNKNOWN}: single video frames of small faces of one person can be less alike than two different
 * people (models README section 7), so callers match a track's averaged embedding, not one frame.
 */
public final class FaceGallery {

    /** The name of a face that matches nobody well enough. */
    public static final String UNKNOWN = "unknown";

    /**
     * Default similarity a track's averaged embedding needs to take a person's name; measured on
     * the shared clips in {@code FaceRecognitionClipTest}.
     */
    public static final double DEFAULT_THRESHOLD = 0.40;

    /** The best match for a face: a name (or {@link #UNKNOWN}) and its cosine similarity. */
    public record Match(String name, float similarity) {
        public boolean known() {
            return !UNKNOWN.equals(name);
        }
    }

    private final Map<String, float[]> people = new TreeMap<>();
    private final double threshold;

    public FaceGallery(double threshold) {
        if (threshold <= -1 || threshold >= 1) {
            throw new IllegalArgumentException("threshold must be in (-1, 1), got " + threshold);
        }
        this.threshold = threshold;
    }

    /** Enrols (or replaces) a person with one L2-normalised embedding. */
    public void put(String name, float[] embedding) {
        people.put(name, embedding.clone());
    }

    /** Forgets a person; true when they were known. */
    public boolean remove(String name) {
        return people.remove(name) != null;
    }

    public Map<String, float[]> people() {
        return Collections.unmodifiableMap(people);
    }

    /** The nearest known person, or {@link #UNKNOWN} below the threshold or with nobody known. */
    public Match match(float[] embedding) {
        String best = UNKNOWN;
        float bestSimilarity = -1;
        for (Map.Entry<String, float[]> e : people.entrySet()) {
            float s = cosine(embedding, e.getValue());
            if (s > bestSimilarity) {
                bestSimilarity = s;
                best = e.getKey();
            }
        }
        return bestSimilarity >= threshold
                ? new Match(best, bestSimilarity)
                : new Match(UNKNOWN, Math.max(0, bestSimilarity));
    }

    /** The similarity of an embedding to one known person, or NaN when they are not known. */
    public float similarityTo(String name, float[] embedding) {
        float[] person = people.get(name);
        return person == null ? Float.NaN : cosine(embedding, person);
    }

    /** Cosine similarity of two embeddings (of any length and norm). */
    public static float cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(
                    "embeddings of different lengths: " + a.length + " and " + b.length);
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0f : (float) (dot / Math.sqrt(na * nb));
    }
}
