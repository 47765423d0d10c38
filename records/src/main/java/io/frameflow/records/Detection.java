package io.frameflow.records;

/**
 * One detected object, with its box in original-image pixels.
 *
 * @param label class name, e.g. {@code person}
 * @param classId class index in the model's label list
 * @param score confidence in [0, 1]
 * @param x1 left edge, original-image pixels
 * @param y1 top edge
 * @param x2 right edge
 * @param y2 bottom edge
 * @param landmarks x,y pairs in original-image pixels (YuNet gives 5 points), or null
 * @param keypoints a pose model's keypoints as x,y,score triples in original-image pixels, in the
 *     model's keypoint order ({@link PoseKeypoints#COCO} for COCO-pose models), or null
 * @param trackId the camera's track this object belongs to (from 1), or {@link #NO_TRACK}
 * @param similarity for a recognised face (its label a person's name or {@code unknown}): the
 *     cosine similarity of its track's embedding to the nearest known person; NaN otherwise
 * @param model the model that found it, on a frame that ran several; null = the frame's model
 * @param attributes what secondary models (classifiers on the crop of a tracked detection) say of
 *     it, one per classifier, or null
 */
public record Detection(
        String label,
        int classId,
        float score,
        float x1,
        float y1,
        float x2,
        float y2,
        float[] landmarks,
        float[] keypoints,
        long trackId,
        float similarity,
        String model,
        Attribute[] attributes) {

    /** A detection without attributes. */
    public Detection(
            String label,
            int classId,
            float score,
            float x1,
            float y1,
            float x2,
            float y2,
            float[] landmarks,
            float[] keypoints,
            long trackId,
            float similarity,
            String model) {
        this(
                label,
                classId,
                score,
                x1,
                y1,
                x2,
                y2,
                landmarks,
                keypoints,
                trackId,
                similarity,
                model,
                null);
    }

    /** A detection of the frame's model. */
    public Detection(
            String label,
            int classId,
            float score,
            float x1,
            float y1,
            float x2,
            float y2,
            float[] landmarks,
            float[] keypoints,
            long trackId,
            float similarity) {
        this(
                label,
                classId,
                score,
                x1,
                y1,
                x2,
                y2,
                landmarks,
                keypoints,
                trackId,
                similarity,
                null);
    }

    /** Not (yet) on a confirmed track. */
    public static final long NO_TRACK = 0;

    /** A detection that is not a recognised face. */
    public Detection(
            String label,
            int classId,
            float score,
            float x1,
            float y1,
            float x2,
            float y2,
            float[] landmarks,
            float[] keypoints,
            long trackId) {
        this(label, classId, score, x1, y1, x2, y2, landmarks, keypoints, trackId, Float.NaN);
    }

    /** A detection without keypoints, on track {@code trackId}. */
    public Detection(
            String label,
            int classId,
            float score,
            float x1,
            float y1,
            float x2,
            float y2,
            float[] landmarks,
            long trackId) {
        this(label, classId, score, x1, y1, x2, y2, landmarks, null, trackId);
    }

    /** A detection not on a track. */
    public Detection(
            String label,
            int classId,
            float score,
            float x1,
            float y1,
            float x2,
            float y2,
            float[] landmarks) {
        this(label, classId, score, x1, y1, x2, y2, landmarks, null, NO_TRACK);
    }

    /** This face recognised: named {@code name} (or {@code unknown}) at {@code similarity}. */
    public Detection recognisedAs(String name, float similarity) {
        return copy(name, classId, trackId, similarity, model, attributes);
    }

    /**
     * This detection as found by {@code model} among several on the frame, its class id moved to
     * that model's block ({@code classIdOffset} + its own class index) so that classes of different
     * models never meet in the tracker.
     */
    public Detection fromModel(String model, int classIdOffset) {
        return copy(label, classIdOffset + classId, trackId, similarity, model, attributes);
    }

    /** Keypoints carried, {@code keypoints().length / 3}; 0 without keypoints. */
    public int keypointCount() {
        return keypoints == null ? 0 : keypoints.length / 3;
    }

    /** This detection on track {@code id}. */
    public Detection withTrackId(long id) {
        return copy(label, classId, id, similarity, model, attributes);
    }

    /** This detection with {@code attribute} added (replacing one of the same model name). */
    public Detection withAttribute(Attribute attribute) {
        String name = modelName(attribute.model());
        java.util.List<Attribute> out = new java.util.ArrayList<>();
        if (attributes != null) {
            for (Attribute a : attributes) {
                if (!modelName(a.model()).equals(name)) {
                    out.add(a);
                }
            }
        }
        out.add(attribute);
        return copy(label, classId, trackId, similarity, model, out.toArray(Attribute[]::new));
    }

    /** This detection's box, landmarks and keypoints with the rest as given. */
    private Detection copy(
            String label,
            int classId,
            long trackId,
            float similarity,
            String model,
            Attribute[] attributes) {
        return new Detection(
                label,
                classId,
                score,
                x1,
                y1,
                x2,
                y2,
                landmarks,
                keypoints,
                trackId,
                similarity,
                model,
                attributes);
    }

    private static String modelName(String model) {
        int at = model.indexOf('@');
        return at < 0 ? model : model.substring(0, at);
    }
}
