package io.frameflow.operators.face;

/**
 * The similarity transform (rotation, uniform scale, translation; no reflection, no shear) that
 * takes a face's 5 landmarks onto the embedder's 112×112 template in the least-squares sense, as a
 * 2×3 affine matrix for {@code warpAffine}. Closed form (Umeyama's method in 2-D): with the points
 * centred, {@code s·cos θ = Σ(p·q) / Σ|p|²} and {@code s·sin θ = Σ(p × q) / Σ|p|²}.
 *
 * <p>Landmark order is YuNet's, which is the template's: right eye, left eye, nose tip, right mouth
 * corner, left mouth corner (the person's right: on the picture's left for a face towards the
 * camera). Template from the MobileFaceNet recipe (models README section 7, as in InsightFace's
 * ArcFace alignment).
 */
public final class FaceAlignment {

    /** Side of the aligned face crop in pixels. */
    public static final int SIZE = 112;

    /** Where the 5 landmarks go in the 112×112 crop: x, y pairs. */
    static final double[] TEMPLATE = {
        38.2946, 51.6963, // right eye
        73.5318, 51.5014, // left eye
        56.0252, 71.7366, // nose tip
        41.5493, 92.3655, // right mouth corner
        70.7299, 92.2041 // left mouth corner
    };

    private FaceAlignment() {}

    /**
     * @param landmarks 5 x, y pairs in image pixels
     * @return {@code {a, b, tx, c, d, ty}}: x' = a·x + b·y + tx, y' = c·x + d·y + ty
     * @throws IllegalArgumentException when there are not 5 points or they all coincide
     */
    public static double[] toTemplate(float[] landmarks) {
        if (landmarks == null || landmarks.length != TEMPLATE.length) {
            throw new IllegalArgumentException(
                    "a face needs 5 landmarks (10 values), got "
                            + (landmarks == null ? "none" : landmarks.length + " values"));
        }
        int n = TEMPLATE.length / 2;
        double px = 0;
        double py = 0;
        double qx = 0;
        double qy = 0;
        for (int i = 0; i < n; i++) {
            px += landmarks[2 * i];
            py += landmarks[2 * i + 1];
            qx += TEMPLATE[2 * i];
            qy += TEMPLATE[2 * i + 1];
        }
        px /= n;
        py /= n;
        qx /= n;
        qy /= n;
        double dot = 0;
        double cross = 0;
        double norm = 0;
        for (int i = 0; i < n; i++) {
            double ax = landmarks[2 * i] - px;
            double ay = landmarks[2 * i + 1] - py;
            double bx = TEMPLATE[2 * i] - qx;
            double by = TEMPLATE[2 * i + 1] - qy;
            dot += ax * bx + ay * by;
            cross += ax * by - ay * bx;
            norm += ax * ax + ay * ay;
        }
        if (norm < 1e-9) {
            throw new IllegalArgumentException("the 5 landmarks coincide: no face to align");
        }
        double sc = dot / norm; // s·cos θ
        double ss = cross / norm; // s·sin θ
        return new double[] {sc, -ss, qx - (sc * px - ss * py), ss, sc, qy - (ss * px + sc * py)};
    }
}
