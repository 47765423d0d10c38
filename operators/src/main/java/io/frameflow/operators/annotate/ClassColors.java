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

    private static double[] hsvToBgr(double h, double s, double v) {
        int sector = (int) (h * 6) % 6;
        double f = h * 6 - Math.floor(h * 6);
        double p = v * (1 - s);
        double q = v * (1 - f * s);
        double t = v * (1 - (1 - f) * s);
        double r;
        double g;
        double b;
        switch (sector) {
            case 0 -> {
                r = v;
                g = t;
                b = p;
            }
            case 1 -> {
                r = q;
                g = v;
                b = p;
            }
            case 2 -> {
                r = p;
                g = v;
                b = t;
            }
            case 3 -> {
                r = p;
                g = q;
                b = v;
            }
            case 4 -> {
                r = t;
                g = p;
                b = v;
            }
            default -> {
                r = v;
                g = p;
                b = q;
            }
        }
        return new double[] {b * 255, g * 255, r * 255};
    }
}
