package io.frameflow.operators.postprocess;

/**
 * A box found by a decoder before NMS, in model-input pixels.
 *
 * @param landmarks x,y pairs in model-input pixels, or null
 * @param keypoints x,y,score triples, x and y in model-input pixels, or null
 */
public record Candidate(
        float x1,
        float y1,
        float x2,
        float y2,
        float score,
        int classId,
        float[] landmarks,
        float[] keypoints) {

    /** A candidate without keypoints. */
    public Candidate(
            float x1, float y1, float x2, float y2, float score, int classId, float[] landmarks) {
        this(x1, y1, x2, y2, score, classId, landmarks, null);
    }

    public float area() {
        return Math.max(0f, x2 - x1) * Math.max(0f, y2 - y1);
    }

    public float iou(Candidate o) {
        float iw = Math.min(x2, o.x2) - Math.max(x1, o.x1);
        float ih = Math.min(y2, o.y2) - Math.max(y1, o.y1);
        if (iw <= 0 || ih <= 0) {
            return 0f;
        }
        float inter = iw * ih;
        return inter / (area() + o.area() - inter);
    }

    /** A box given by its centre and size. */
    public static Candidate ofCenter(
            float cx, float cy, float w, float h, float score, int classId, float[] landmarks) {
        return new Candidate(
                cx - w / 2f, cy - h / 2f, cx + w / 2f, cy + h / 2f, score, classId, landmarks);
    }

    /** A box given by its centre and size, with a pose model's keypoints. */
    public static Candidate withKeypoints(
            float cx, float cy, float w, float h, float score, int classId, float[] keypoints) {
        return new Candidate(
                cx - w / 2f,
                cy - h / 2f,
                cx + w / 2f,
                cy + h / 2f,
                score,
                classId,
                null,
                keypoints);
    }
}
