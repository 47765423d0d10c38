package io.frameflow.operators.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The assignment solver against exhaustive search on small random matrices. */
class LinearAssignmentTest {

    @Test
    void textbookSquareCase() {
        double[][] cost = {
            {4, 1, 3},
            {2, 0, 5},
            {3, 2, 2},
        };
        // 1 + 2 + 2 = 5 is the optimum (row 0 -> 1, row 1 -> 0, row 2 -> 2)
        assertThat(LinearAssignment.assign(cost)).containsExactly(1, 0, 2);
    }

    @Test
    void hungarianEqualsBruteForceOnRandomRectangularMatrices() {
        Random random = new Random(16);
        for (int trial = 0; trial < 2000; trial++) {
            int n = 1 + random.nextInt(6);
            int m = 1 + random.nextInt(6);
            double[][] cost = new double[n][m];
            boolean ties = trial % 3 == 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    cost[i][j] =
                            ties ? random.nextInt(4) : random.nextDouble() * 100 - 20; // negatives
                }
            }
            int[] rowToCol = LinearAssignment.assign(cost);
            assertThat(rowToCol).hasSize(n);
            Set<Integer> cols = new HashSet<>();
            double total = 0;
            for (int i = 0; i < n; i++) {
                if (rowToCol[i] >= 0) {
                    assertThat(cols.add(rowToCol[i])).as("column used twice").isTrue();
                    total += cost[i][rowToCol[i]];
                }
            }
            assertThat(cols).hasSize(Math.min(n, m));
            assertThat(total)
                    .as("trial %d, %dx%d", trial, n, m)
                    .isCloseTo(bestFull(cost, 0, new boolean[m], 0, Math.min(n, m)), within(1e-9));
        }
    }

    @Test
    void thresholdedMatchEqualsBruteForce() {
        Random random = new Random(2110_06864L);
        double[] thresholds = {0.5, 0.7, 0.8};
        for (int trial = 0; trial < 3000; trial++) {
            int n = random.nextInt(6);
            int m = random.nextInt(6);
            double threshold = thresholds[trial % 3];
            double[][] cost = new double[n][m];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    int kind = random.nextInt(10);
                    cost[i][j] =
                            kind == 0
                                    ? Double.POSITIVE_INFINITY // another class
                                    : kind == 1 ? 1.0 : random.nextDouble() * 1.1;
                }
            }
            int[] rowToCol = LinearAssignment.match(cost, threshold);
            assertThat(rowToCol).hasSize(n);
            Set<Integer> cols = new HashSet<>();
            int matched = 0;
            double objective = 0;
            for (int i = 0; i < n; i++) {
                if (rowToCol[i] >= 0) {
                    assertThat(cols.add(rowToCol[i])).isTrue();
                    assertThat(cost[i][rowToCol[i]]).isLessThanOrEqualTo(threshold);
                    objective += cost[i][rowToCol[i]];
                    matched++;
                }
            }
            objective += (n + m - 2 * matched) * threshold / 2;
            assertThat(objective)
                    .as("trial %d, %dx%d", trial, n, m)
                    .isCloseTo(bestPartial(cost, 0, new boolean[m], threshold), within(1e-9));
        }
    }

    @Test
    void aPairIsOnlyTakenWhenWorthLeavingBothSidesAlone() {
        // the two 0.79 pairs are allowed, but taking them (with 0.1: 1.68) costs more than the 0.1
        // and 0.0 pairs plus 0.4 for leaving row 2 and 0.4 for leaving column 2 alone (0.9)
        double[][] cost = {
            {0.1, 0.9, 0.9},
            {0.9, 0.0, 0.79},
            {0.9, 0.79, 0.9},
        };
        assertThat(LinearAssignment.match(cost, 0.8)).containsExactly(0, 1, -1);
        assertThat(LinearAssignment.match(new double[0][0], 0.8)).isEmpty();
        assertThat(LinearAssignment.match(new double[2][0], 0.8)).containsExactly(-1, -1);
    }

    @Test
    void aLargeProblemStaysFast() {
        Random random = new Random(7);
        int n = 256;
        int m = 300;
        double[][] cost = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                cost[i][j] = random.nextDouble() < 0.05 ? random.nextDouble() : 1.0;
            }
        }
        long start = System.nanoTime();
        int[] rowToCol = LinearAssignment.match(cost, 0.8);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(rowToCol).hasSize(n);
        assertThat(ms).as("256 x 300 thresholded match, ms").isLessThan(2_000);
    }

    @Test
    void nonFiniteCostsAreRefusedByTheSolver() {
        assertThatThrownBy(() -> LinearAssignment.assign(new double[][] {{1, Double.NaN}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> LinearAssignment.assign(new double[][] {{1, 2}, {3}}))
                .hasMessageContaining("differ in length");
    }

    /** Least total cost assigning {@code want} rows (from {@code row} on) to distinct columns. */
    private static double bestFull(double[][] c, int row, boolean[] used, int taken, int want) {
        if (taken == want) {
            return 0;
        }
        if (row == c.length) {
            return Double.POSITIVE_INFINITY;
        }
        double best = Double.POSITIVE_INFINITY;
        // a row may only be skipped when rows outnumber columns
        if (c.length - row > want - taken) {
            best = bestFull(c, row + 1, used, taken, want);
        }
        for (int j = 0; j < used.length; j++) {
            if (!used[j]) {
                used[j] = true;
                best = Math.min(best, c[row][j] + bestFull(c, row + 1, used, taken + 1, want));
                used[j] = false;
            }
        }
        return best;
    }

    /** Least matched cost + threshold/2 per unmatched row and column, pairs above it forbidden. */
    private static double bestPartial(double[][] c, int row, boolean[] used, double threshold) {
        if (row == c.length) {
            int free = 0;
            for (boolean u : used) {
                free += u ? 0 : 1;
            }
            return free * threshold / 2;
        }
        double best = threshold / 2 + bestPartial(c, row + 1, used, threshold);
        for (int j = 0; j < used.length; j++) {
            if (!used[j] && c[row][j] <= threshold) {
                used[j] = true;
                best = Math.min(best, c[row][j] + bestPartial(c, row + 1, used, threshold));
                used[j] = false;
            }
        }
        return best;
    }
}
