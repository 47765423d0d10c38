package io.frameflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts of the results (XChart, headless). */
final class Charts {

    private Charts() {}

    /**
     * An XY chart with a log-2 x axis of cameras.
     *
     * @param series name → y value per camera count in {@code cameras}
     */
    static void byCameras(
            Path file,
            String title,
            String yTitle,
            List<Integer> cameras,
            Map<String, List<Double>> series)
            throws IOException {
        XYChart chart =
                new XYChartBuilder()
                        .width(800)
                        .height(500)
                        .title(title)
                        .xAxisTitle("cameras (same total frame rate)")
                        .yAxisTitle(yTitle)
                        .build();
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        // x = log2(cameras), labelled with the camera count
        chart.setCustomXAxisTickLabelsFormatter(
                v ->
                        Math.abs(v - Math.rint(v)) < 1e-6 && v >= 0
                                ? String.valueOf(1L << Math.round(v))
                                : "");
        List<Double> xs = cameras.stream().map(c -> Math.log(c) / Math.log(2)).toList();
        series.forEach((name, ys) -> chart.addSeries(name, xs, ys).setMarker(SeriesMarkers.CIRCLE));
        save(chart, file);
    }

    /**
     * Grouped bars of latency percentiles.
     *
     * @param series name → [p50, p95, p99]
     */
    static void percentiles(Path file, String title, Map<String, List<Double>> series)
            throws IOException {
        CategoryChart chart =
                new CategoryChartBuilder()
                        .width(800)
                        .height(500)
                        .title(title)
                        .xAxisTitle("percentile")
                        .yAxisTitle("end-to-end latency (ms)")
                        .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        List<String> cats = List.of("p50", "p95", "p99");
        series.forEach(
                (name, ys) ->
                        chart.addSeries(
                                name,
                                cats,
                                ys.stream().map(v -> Double.isNaN(v) ? 0.0 : v).toList()));
        save(chart, file);
    }

    private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file)
            throws IOException {
        Files.createDirectories(file.getParent());
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        System.out.println("chart: " + file);
    }
}
