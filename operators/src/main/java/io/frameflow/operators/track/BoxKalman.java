package io.frameflow.operators.track;

/**
 * The constant-velocity Kalman filter of SORT/DeepSORT/ByteTrack on boxes, state {@code (cx, cy, a,
 * h, vcx, vcy, va, vh)}: centre, aspect ratio {@code w/h}, height and their velocities; the
 * measurement is {@code (cx, cy, a, h)}. Process and measurement noise are relative to the box
 * height with the usual weights (1/20 for position, 1/160 for velocity), so a far (small) object
 * gets proportionally small uncertainties.
 *
 * <p>Time: a prediction over {@code dt} steps (fractional allowed, {@code dt = elapsed ms /
 * motionStepMs}) moves the mean by {@code dt} times the velocity and adds {@code dt} times the
 * one-step process noise; with {@code dt = 1} this is exactly the reference's per-frame predict.
 *
 * <p>Arrays: {@code mean} has 8 values, {@code cov} is 8x8 row-major (64 values). All methods work
 * in place and allocate nothing but small temporaries.
 */
final class BoxKalman {

    static final int DIM = 8;
    static final double WEIGHT_POSITION = 1.0 / 20;
    static final double WEIGHT_VELOCITY = 1.0 / 160;

    /** Smallest height used to scale the noise, so a degenerate box keeps the filter stable. */
    private static final double MIN_NOISE_HEIGHT = 1.0;

    private BoxKalman() {}

    /** Starts a state at measurement {@code z} (cx, cy, a, h) with zero velocity. */
    static void initiate(double[] z, double[] mean, double[] cov) {
        double h = Math.max(z[3], MIN_NOISE_HEIGHT);
        for (int i = 0; i < 4; i++) {
            mean[i] = z[i];
            mean[i + 4] = 0;
        }
        double p = 2 * WEIGHT_POSITION * h;
        double v = 10 * WEIGHT_VELOCITY * h;
        double[] std = {p, p, 1e-2, p, v, v, 1e-5, v};
        java.util.Arrays.fill(cov, 0);
        for (int i = 0; i < DIM; i++) {
            cov[i * DIM + i] = std[i] * std[i];
        }
    }

    /**
     * Moves the state {@code dt} steps forward. {@code stopHeight} zeroes the height velocity first
     * (the reference does this for tracks that are not currently tracked, so a lost box does not
     * shrink or grow while unseen).
     */
    static void predict(double[] mean, double[] cov, double dt, boolean stopHeight) {
        if (stopHeight) {
            mean[7] = 0;
        }
        if (dt <= 0) {
            return;
        }
        double h = Math.max(mean[3], MIN_NOISE_HEIGHT);
        double p = WEIGHT_POSITION * h;
        double v = WEIGHT_VELOCITY * h;
        double[] q = {p * p, p * p, 1e-4, p * p, v * v, v * v, 1e-10, v * v};
        for (int i = 0; i < 4; i++) {
            mean[i] += dt * mean[i + 4];
        }
        // P' = F P F^T with F = [[I, dt I], [0, I]]: first rows 0..3 += dt * rows 4..7 ...
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < DIM; j++) {
                cov[i * DIM + j] += dt * cov[(i + 4) * DIM + j];
            }
        }
        // ... then columns 0..3 += dt * columns 4..7
        for (int i = 0; i < DIM; i++) {
            for (int j = 0; j < 4; j++) {
                cov[i * DIM + j] += dt * cov[i * DIM + j + 4];
            }
        }
        for (int i = 0; i < DIM; i++) {
            cov[i * DIM + i] += dt * q[i];
        }
    }

    /**
     * Corrects the state with measurement {@code z} (cx, cy, a, h).
     *
     * @return false (state untouched) when the innovation covariance is not positive definite
     */
    static boolean update(double[] mean, double[] cov, double[] z) {
        double h = Math.max(mean[3], MIN_NOISE_HEIGHT);
        double p = WEIGHT_POSITION * h;
        double[] r = {p * p, p * p, 1e-2, p * p};
        // S = H P H^T + R: the top-left 4x4 block plus R
        double[] s = new double[16];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                s[i * 4 + j] = cov[i * DIM + j];
            }
            s[i * 4 + i] += r[i];
        }
        double[] l = cholesky4(s);
        if (l == null) {
            return false;
        }
        // PHt = P H^T: the first 4 columns of P (8x4). K = PHt S^-1, row by row: S k_i = PHt_i.
        double[] k = new double[DIM * 4];
        double[] row = new double[4];
        for (int i = 0; i < DIM; i++) {
            for (int j = 0; j < 4; j++) {
                row[j] = cov[i * DIM + j];
            }
            solve4(l, row);
            System.arraycopy(row, 0, k, i * 4, 4);
        }
        double[] y = new double[4];
        for (int j = 0; j < 4; j++) {
            y[j] = z[j] - mean[j];
        }
        double[] pht = new double[DIM * 4];
        for (int i = 0; i < DIM; i++) {
            for (int j = 0; j < 4; j++) {
                pht[i * 4 + j] = cov[i * DIM + j];
            }
        }
        for (int i = 0; i < DIM; i++) {
            double d = 0;
            for (int j = 0; j < 4; j++) {
                d += k[i * 4 + j] * y[j];
            }
            mean[i] += d;
        }
        // P -= K S K^T = PHt K^T
        for (int i = 0; i < DIM; i++) {
            for (int j = 0; j < DIM; j++) {
                double d = 0;
                for (int t = 0; t < 4; t++) {
                    d += pht[i * 4 + t] * k[j * 4 + t];
                }
                cov[i * DIM + j] -= d;
            }
        }
        for (int i = 0; i < DIM; i++) {
            for (int j = i + 1; j < DIM; j++) {
                double avg = 0.5 * (cov[i * DIM + j] + cov[j * DIM + i]);
                cov[i * DIM + j] = avg;
                cov[j * DIM + i] = avg;
            }
        }
        return true;
    }

    /** Lower-triangular L with L L^T = s (4x4), or null when s is not positive definite. */
    private static double[] cholesky4(double[] s) {
        double[] l = new double[16];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = s[i * 4 + j];
                for (int t = 0; t < j; t++) {
                    sum -= l[i * 4 + t] * l[j * 4 + t];
                }
                if (i == j) {
                    if (!(sum > 0)) {
                        return null;
                    }
                    l[i * 4 + i] = Math.sqrt(sum);
                } else {
                    l[i * 4 + j] = sum / l[j * 4 + j];
                }
            }
        }
        return l;
    }

    /** Solves (L L^T) x = b in place. */
    private static void solve4(double[] l, double[] b) {
        for (int i = 0; i < 4; i++) {
            double sum = b[i];
            for (int t = 0; t < i; t++) {
                sum -= l[i * 4 + t] * b[t];
            }
            b[i] = sum / l[i * 4 + i];
        }
        for (int i = 3; i >= 0; i--) {
            double sum = b[i];
            for (int t = i + 1; t < 4; t++) {
                sum -= l[t * 4 + i] * b[t];
            }
            b[i] = sum / l[i * 4 + i];
        }
    }

    /** Measurement (cx, cy, a, h) of a corner box; null for an empty or non-finite box. */
    static double[] measure(float x1, float y1, float x2, float y2) {
        double w = (double) x2 - x1;
        double h = (double) y2 - y1;
        if (!(w > 0 && h > 0) || !Double.isFinite(w) || !Double.isFinite(h)) {
            return null;
        }
        return new double[] {x1 + w / 2, y1 + h / 2, w / h, h};
    }

    /** The mean's box as corners {@code x1, y1, x2, y2}. */
    static double[] corners(double[] mean) {
        double h = mean[3];
        double w = mean[2] * h;
        return new double[] {
            mean[0] - w / 2, mean[1] - h / 2, mean[0] + w / 2, mean[1] + h / 2,
        };
    }
}
