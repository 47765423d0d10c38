package io.frameflow.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** After scenarios 2 and 3: where the CPU went (table 2b) and the latency percentile charts. */
final class CpuAndLatencyReport {

    private final BenchContext ctx;

    CpuAndLatencyReport(BenchContext ctx) {
        this.ctx = ctx;
    }

    /** Where the whole JVM's CPU went while draining, per frame, by thread group. */
    void cpuTable() {
        Map<String, EndToEnd.Result> runs = new LinkedHashMap<>();
        ctx.flink.forEach((k, r) -> runs.put("FrameFlow " + Cells.label(k), r));
        if (ctx.whatIfResult != null) {
            runs.put(
                    "FrameFlow + what-if "
                            + Cells.label(Cells.key(ctx.scalingModel, ctx.scalingRes)),
                    ctx.whatIfResult);
        }
        ctx.naive.forEach((k, r) -> runs.put("naive " + Cells.label(k), r));
        runs.putAll(ctx.extraNaive);
        Map<String, List<EndToEnd.Result>> columns = new LinkedHashMap<>();
        runs.forEach((k, r) -> columns.put(k, List.of(r)));
        CpuByGroupTable.print(
                "2b. Where the CPU goes: CPU time of the whole JVM per output frame, by thread group",
                "thread group (CPU ms per frame while draining)",
                columns);
    }

    void latencyCharts() throws Exception {
        for (String model : ctx.models) {
            for (String res : ctx.resolutions) {
                String k = Cells.key(model, res);
                Map<String, List<Double>> series = new LinkedHashMap<>();
                String[] loads = {"50%", "90%"};
                for (int i = 0; i < 2; i++) {
                    Cells.addPercentiles(series, "FrameFlow @ " + loads[i], ctx.flink.get(k), i);
                    if (k.equals(Cells.key(ctx.scalingModel, ctx.scalingRes))) {
                        Cells.addPercentiles(
                                series, "FrameFlow + what-if @ " + loads[i], ctx.whatIfResult, i);
                    }
                    Cells.addPercentiles(series, "naive @ " + loads[i], ctx.naive.get(k), i);
                }
                if (!series.isEmpty()) {
                    Charts.percentiles(
                            ctx.charts.resolve("latency-" + Cells.name(model) + "-" + res + ".png"),
                            "End-to-end latency, "
                                    + Cells.name(model)
                                    + ", "
                                    + res
                                    + " frames (load = % of FrameFlow's drain rate)",
                            series);
                }
            }
        }
    }
}
