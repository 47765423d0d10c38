package io.frameflow.operators.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The Kalman filter against the textbook matrix form of the SORT/ByteTrack filter. */
class BoxKalmanTest {

    private static final int D = BoxKalman.DIM;

    /**
     * Expected values from an independent numpy version of the same equations written as full
     * matrices ({@code F P F^T + Q dt}, {@code K = P H^T S^-1}, {@code P - K S K^T}), with the
     * reference weights 1/20 and 1/160, F with {@code dt} on the velocity block and the process
     * noise scaled by {@code dt}: initiate (100, 50, 0.5, 80); predict 1; update (104, 51, 0.48,
     * 82); predict 2.5; update (115, 54, 0.5, 84); predict 1.5 with the height velocity stopped.
     */
    @Test
    void matchesTheMatrixFormOfTheFilter() {
        double[] mean = new double[D];
        double[] cov = new double[D * D];
        BoxKalman.initiate(new double[] {100, 50, 0.5, 80}, mean, cov);
        BoxKalman.predict(mean, cov, 1.0, false);
        assertThat(BoxKalman.update(mean, cov, new double[] {104, 51, 0.48, 82})).isTrue();
        BoxKalman.predict(mean, cov, 2.5, false);
        assertThat(BoxKalman.update(mean, cov, new double[] {115, 54, 0.5, 84})).isTrue();
        BoxKalman.predict(mean, cov, 1.5, true);

        double[] expected = {
            1.1902136531597826e+02,
            5.5078831548041151e+01,
            4.9962458854691472e-01,
            8.3901827460605674e+01,
            3.1838523028513266e+00,
            8.5824388982746269e-01,
            -1.7362736805742756e-10,
            0.0,
        };
        for (int i = 0; i < D; i++) {
            assertThat(mean[i]).as("mean[%d]", i).isCloseTo(expected[i], within(1e-9));
        }
        assertThat(cov[0]).isCloseTo(71.61976070681715, within(1e-9));
        assertThat(cov[4]).isCloseTo(15.373614580600758, within(1e-9));
        assertThat(cov[3 * D + 7]).isCloseTo(15.373614580600758, within(1e-9));
        assertThat(cov[4 * D + 4]).isCloseTo(7.8171250214858405, within(1e-9));
        assertThat(cov[2 * D + 2]).isCloseTo(0.0005770339764175603, within(1e-12));
        assertThat(cov[7 * D + 7]).isCloseTo(7.8171250214858405, within(1e-9));
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < D; j++) {
                assertThat(cov[i * D + j]).isEqualTo(cov[j * D + i]);
            }
        }
    }

    @Test
    void aZeroStepChangesNothing() {
        double[] mean = new double[D];
        double[] cov = new double[D * D];
        BoxKalman.initiate(new double[] {10, 20, 0.4, 50}, mean, cov);
        double[] before = cov.clone();
        BoxKalman.predict(mean, cov, 0, false);
        assertThat(cov).containsExactly(before);
        assertThat(mean).containsExactly(10, 20, 0.4, 50, 0, 0, 0, 0);
    }

    @Test
    void boxesConvertBothWays() {
        double[] z = BoxKalman.measure(10, 20, 30, 60);
        assertThat(z).containsExactly(20, 40, 0.5, 40);
        double[] mean = {20, 40, 0.5, 40, 0, 0, 0, 0};
        assertThat(BoxKalman.corners(mean)).containsExactly(10, 20, 30, 60);
        assertThat(BoxKalman.measure(10, 20, 10, 60)).isNull();
        assertThat(BoxKalman.measure(10, 20, Float.NaN, 60)).isNull();
        assertThat(BoxKalman.measure(10, 20, Float.POSITIVE_INFINITY, 60)).isNull();
    }
}
