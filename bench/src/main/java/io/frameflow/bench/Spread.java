package io.frameflow.bench;

import java.util.ArrayList;
import java.util.List;

/** Medians and min–max spreads of repeated measurements, as every table quotes them. */
final class Spread {

    private Spread() {}

    static double median(List<Double> xs) {
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(xs);
        s.sort(Double::compare);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** {@code median (min–max)}, with {@code decimals} digits; "–" for no measurement. */
    static String of(List<Double> xs, int decimals) {
        if (xs.isEmpty()) {
            return "–";
        }
        double min = xs.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = xs.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return fmt(median(xs), decimals)
                + " ("
                + fmt(min, decimals)
                + "–"
                + fmt(max, decimals)
                + ")";
    }

    private static String fmt(double v, int decimals) {
        return String.format(java.util.Locale.ROOT, "%." + decimals + "f", v);
    }
}
