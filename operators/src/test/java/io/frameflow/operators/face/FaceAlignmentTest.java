package io.frameflow.operators.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FaceAlignmentTest {

    private static float[] template() {
        float[] t = new float[10];
        for (int i = 0; i < 10; i++) {
            t[i] = (float) FaceAlignment.TEMPLATE[i];
        }
        return t;
    }

    private static double[] apply(double[] m, double x, double y) {
        return new double[] {m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]};
    }

    @Test
    void theTemplateMapsOntoItself() {
        double[] m = FaceAlignment.toTemplate(template());
        assertThat(m[0]).isCloseTo(1, within(1e-5));
        assertThat(m[1]).isCloseTo(0, within(1e-5));
        assertThat(m[2]).isCloseTo(0, within(1e-4));
        assertThat(m[5]).isCloseTo(0, within(1e-4));
    }

    @Test
    void aRotatedScaledShiftedFaceIsBroughtBackExactly() {
        // the template turned by 30 degrees, 0.4 times the size, moved to (300, 200): the
        // transform found must undo exactly that
        double angle = Math.toRadians(30);
        double scale = 0.4;
        float[] face = new float[10];
        for (int i = 0; i < 5; i++) {
            double x = FaceAlignment.TEMPLATE[2 * i];
            double y = FaceAlignment.TEMPLATE[2 * i + 1];
            face[2 * i] = (float) (scale * (Math.cos(angle) * x - Math.sin(angle) * y) + 300);
            face[2 * i + 1] = (float) (scale * (Math.sin(angle) * x + Math.cos(angle) * y) + 200);
        }
        double[] m = FaceAlignment.toTemplate(face);
        for (int i = 0; i < 5; i++) {
            double[] p = apply(m, face[2 * i], face[2 * i + 1]);
            assertThat(p[0]).isCloseTo(FaceAlignment.TEMPLATE[2 * i], within(1e-3));
            assertThat(p[1]).isCloseTo(FaceAlignment.TEMPLATE[2 * i + 1], within(1e-3));
        }
        // a similarity: equal scale on both axes, no shear
        assertThat(m[0]).isCloseTo(m[4], within(1e-9));
        assertThat(m[1]).isCloseTo(-m[3], within(1e-9));
        assertThat(Math.hypot(m[0], m[3])).isCloseTo(1 / scale, within(1e-4));
    }

    @Test
    void aMirroredFaceIsNotReflectedBack() {
        // left and right swapped: the best similarity cannot mirror, so it cannot fit exactly
        float[] t = template();
        float[] mirrored = new float[10];
        for (int i = 0; i < 5; i++) {
            mirrored[2 * i] = 112 - t[2 * i];
            mirrored[2 * i + 1] = t[2 * i + 1];
        }
        double[] m = FaceAlignment.toTemplate(mirrored);
        assertThat(m[0] * m[4] - m[1] * m[3]).as("determinant").isGreaterThanOrEqualTo(0);
        double[] eye = apply(m, mirrored[0], mirrored[1]);
        assertThat(Math.abs(eye[0] - FaceAlignment.TEMPLATE[0])).isGreaterThan(5);
    }

    @Test
    void wrongLandmarksAreRefused() {
        assertThatThrownBy(() -> FaceAlignment.toTemplate(new float[4]))
                .hasMessageContaining("5 landmarks");
        assertThatThrownBy(() -> FaceAlignment.toTemplate(new float[10]))
                .hasMessageContaining("coincide");
    }
}
