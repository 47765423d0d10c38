package io.frameflow.operators.annotate;

/** A stable, well-spread colour per class id, so a class keeps its colour across frames. */
final class ClassColors {

    private static final double GOLDEN_RATIO_CONJUGATE = 0.618033988749895;

    private ClassColors() {}

    /** Blue, green, red in 0..255 (OpenCV's channel order). */
    static double[] bgr(int classId) {
        double hue = ((Math.max(0, classId) + 1) * GOLDEN_RATIO_CONJUGATE) % 1.0;
        return hsvToBgr(hue, 0.85, 0.95);
    }

    /**
     * Per hue sector (of six), which of v, p, q, t each of red, green and blue takes: the standard
     * HSV to RGB table.
     */
    private static final int[][] SECTOR_RGB = {
        {0, 3, 1}, {2, 0, 1}, {1, 0, 3}, {1, 2, 0}, {3, 1, 0}, {0, 1, 2}
    };

    private static double[] hsvToBgr(double h, double s, double v) {
        int sector = (int) (h * 6) % 6;
        double f = h * 6 - Math.floor(h * 6);
        double[] vpqt = {v, v * (1 - s), v * (1 - f * s), v * (1 - (1 - f) * s)};
        int[] rgb = SECTOR_RGB[sector];
        return new double[] {vpqt[rgb[2]] * 255, vpqt[rgb[1]] * 255, vpqt[rgb[0]] * 255};
    }
}
