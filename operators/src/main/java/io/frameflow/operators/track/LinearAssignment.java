package io.frameflow.operators.track;

import java.util.Arrays;

/**
 * Minimum-cost assignment on small dense matrices: the Hungarian method in its shortest augmenting
 * path form with row and column potentials (the augmentation Jonker and Volgenant build on), {@code
 * O(n^2 m)} for {@code n <= m}. Plus the thresholded matching ByteTrack uses ({@link #match}).
 */
final class LinearAssignment {

    /** Cost of a pair the thresholded matching must not use; far above any sum of real costs. */
    private static final double FORBIDDEN = 1e9;

    private LinearAssignment() {}

    /**
     * A minimum-cost assignment of an {@code n x m} matrix: every row gets a distinct column when
     * {@code n <= m}, else every column gets a distinct row.
     *
     * @param cost finite costs, {@code cost[row][col]}, all rows the same length
     * @return for each row its column, or -1 (only when {@code n > m})
     */
    static int[] assign(double[][] cost) {
        int n = cost.length;
        if (n == 0) {
            return new int[0];
        }
        int m = cost[0].length;
        for (double[] row : cost) {
            if (row.length != m) {
                throw new IllegalArgumentException("cost matrix rows differ in length");
            }
            for (double c : row) {
                if (!Double.isFinite(c)) {
                    throw new IllegalArgumentException("cost matrix holds " + c);
                }
            }
        }
        if (m == 0) {
            int[] none = new int[n];
            Arrays.fill(none, -1);
            return none;
        }
        if (n <= m) {
            return assignWide(cost, n, m, false);
        }
        int[] colToRow = assignWide(cost, m, n, true);
        int[] rowToCol = new int[n];
        Arrays.fill(rowToCol, -1);
        for (int c = 0; c < m; c++) {
            rowToCol[colToRow[c]] = c;
        }
        return rowToCol;
    }

    /**
     * Rows {@code 0..n-1} of an {@code n x m} problem with {@code n <= m}; {@code transposed} reads
     * {@code cost[col][row]} so a tall matrix needs no copy.
     */
    private static int[] assignWide(double[][] cost, int n, int m, boolean transposed) {
        // 1-based: u row potentials, v column potentials, owner[j] = row holding column j (0 =
        // free), via[j] = previous column on the shortest path to j.
        double[] u = new double[n + 1];
        double[] v = new double[m + 1];
        int[] owner = new int[m + 1];
        int[] via = new int[m + 1];
        double[] dist = new double[m + 1];
        boolean[] done = new boolean[m + 1];
        for (int row = 1; row <= n; row++) {
            owner[0] = row;
            int col = 0;
            Arrays.fill(dist, Double.POSITIVE_INFINITY);
            Arrays.fill(done, false);
            // grow a shortest-path tree of reduced costs from the new row until a free column
            while (owner[col] != 0) {
                done[col] = true;
                int r = owner[col];
                double step = Double.POSITIVE_INFINITY;
                int next = -1;
                for (int j = 1; j <= m; j++) {
                    if (done[j]) {
                        continue;
                    }
                    double c = transposed ? cost[j - 1][r - 1] : cost[r - 1][j - 1];
                    double reduced = c - u[r] - v[j];
                    if (reduced < dist[j]) {
                        dist[j] = reduced;
                        via[j] = col;
                    }
                    if (dist[j] < step) {
                        step = dist[j];
                        next = j;
                    }
                }
                for (int j = 0; j <= m; j++) {
                    if (done[j]) {
                        u[owner[j]] += step;
                        v[j] -= step;
                    } else {
                        dist[j] -= step;
                    }
                }
                col = next;
            }
            // flip the path: each column on it passes to the row that reached it
            while (col != 0) {
                int prev = via[col];
                owner[col] = owner[prev];
                col = prev;
            }
        }
        int[] rowToCol = new int[n];
        for (int j = 1; j <= m; j++) {
            if (owner[j] != 0) {
                rowToCol[owner[j] - 1] = j - 1;
            }
        }
        return rowToCol;
    }

    /**
     * The thresholded matching of the ByteTrack reference ({@code lap.lapjv(cost, extend_cost=True,
     * cost_limit=threshold)}): pairs with cost above {@code threshold} are not allowed, and among
     * the allowed partial matchings the one with the least total of matched costs plus {@code
     * threshold / 2} per unmatched row and per unmatched column wins. So a pair is only taken when
     * it is worth at most leaving both sides alone.
     *
     * @param cost {@code cost[row][col]}; NaN or infinite entries are treated as not allowed
     * @return for each row its column, or -1
     */
    static int[] match(double[][] cost, double threshold) {
        int n = cost.length;
        int[] rowToCol = new int[n];
        Arrays.fill(rowToCol, -1);
        if (n == 0) {
            return rowToCol;
        }
        int m = cost[0].length;
        // Rows and columns linked by allowed pairs form independent sub-problems (the objective
        // adds up over them), so each connected component is solved on its own; a row or column
        // without any allowed pair stays unmatched. Union-find over rows 0..n-1, columns n..n+m-1.
        int[] parent = new int[n + m];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        boolean[] linked = new boolean[n + m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                if (allowed(cost[i][j], threshold)) {
                    linked[i] = true;
                    linked[n + j] = true;
                    parent[root(parent, i)] = root(parent, n + j);
                }
            }
        }
        int[] componentOf = new int[n + m];
        int[] rowCount = new int[n + m];
        int[] colCount = new int[n + m];
        for (int v = 0; v < n + m; v++) {
            componentOf[v] = root(parent, v);
            if (linked[v]) {
                if (v < n) {
                    rowCount[componentOf[v]]++;
                } else {
                    colCount[componentOf[v]]++;
                }
            }
        }
        for (int c = 0; c < n + m; c++) {
            if (rowCount[c] == 0) {
                continue;
            }
            int[] rows = new int[rowCount[c]];
            int[] cols = new int[colCount[c]];
            int nr = 0;
            int nc = 0;
            for (int v = 0; v < n + m; v++) {
                if (linked[v] && componentOf[v] == c) {
                    if (v < n) {
                        rows[nr++] = v;
                    } else {
                        cols[nc++] = v - n;
                    }
                }
            }
            matchComponent(cost, threshold, rows, cols, rowToCol);
        }
        return rowToCol;
    }

    private static int root(int[] parent, int v) {
        while (parent[v] != v) {
            parent[v] = parent[parent[v]];
            v = parent[v];
        }
        return v;
    }

    /**
     * One sub-problem: square {@code nr + nc}, [real pairs | row alone] over [column alone | 0].
     */
    private static void matchComponent(
            double[][] cost, double threshold, int[] rows, int[] cols, int[] rowToCol) {
        int nr = rows.length;
        int nc = cols.length;
        int k = nr + nc;
        double half = threshold / 2;
        double[][] ext = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                if (i < nr && j < nc) {
                    double c = cost[rows[i]][cols[j]];
                    ext[i][j] = allowed(c, threshold) ? c : FORBIDDEN;
                } else if (i < nr || j < nc) {
                    ext[i][j] = half;
                } else {
                    ext[i][j] = 0;
                }
            }
        }
        int[] assigned = assign(ext);
        for (int i = 0; i < nr; i++) {
            int j = assigned[i];
            if (j >= 0 && j < nc && allowed(cost[rows[i]][cols[j]], threshold)) {
                rowToCol[rows[i]] = cols[j];
            }
        }
    }

    private static boolean allowed(double c, double threshold) {
        return c <= threshold && Double.isFinite(c);
    }
}
