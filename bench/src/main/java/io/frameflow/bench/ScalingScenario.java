package io.frameflow.bench;

import io.frameflow.testkit.SharedResources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Scenario 4: drain rate and latency over cameras and parallelism, with charts. */
final class ScalingScenario {

    private final BenchContext ctx;

    ScalingScenario(BenchContext ctx) {
        this.ctx = ctx;
    }

    void run() throws Exception {
        String k = Cells.key(ctx.scalingModel, ctx.scalingRes);
        double rate = Double.parseDouble(System.getProperty("bench.scalingRate", "0"));
        if (rate <= 0) {
            EndToEnd.Result ff = ctx.flink.get(k);
            rate =
                    ff != null
                            ? 0.5 * ff.drainFps()
                            : ctx.limits.containsKey(k) ? 0.4 * ctx.limits.get(k) : 20;
        }
        double paced = rate;
        Table t =
                new Table(
                        "4. Scaling: "
                                + Cells.name(ctx.scalingModel)
                                + ", "
                                + ctx.scalingRes
                                + " frames spread over N cameras; latency at a total of "
                                + Table.f1(rate)
                                + " f/s",
                        "parallelism",
                        "cameras",
                        "drain f/s",
                        "÷ 1 camera",
                        "p50 / p95 / p99 ms",
                        "heap after GC MiB",
                        "checkpoint KiB");
        Map<String, List<Double>> tput = new LinkedHashMap<>();
        Map<String, List<Double>> p99 = new LinkedHashMap<>();
        for (int p : ctx.scalingParallelism) {
            List<Double> fps = new ArrayList<>();
            List<Double> lat = new ArrayList<>();
            for (int c : ctx.cameras) {
                EndToEnd.Result r =
                        EndToEnd.run(
                                ctx.broker,
                                ctx.frameSets.get(ctx.scalingRes),
                                c,
                                ctx.preload(k) * p / ctx.cores,
                                List.of(d -> paced),
                                ctx.pacedSeconds,
                                topics ->
                                        FlinkSystem.start(
                                                ctx.broker.bootstrapServers(),
                                                topics,
                                                SharedResources.model(ctx.scalingModel),
                                                p,
                                                "5 s"));
                fps.add(r.drainFps());
                lat.add(r.phase(0).latency().p99());
                t.row(
                        p,
                        c,
                        Table.f1(r.drainFps()),
                        Table.f2(r.drainFps() / fps.get(0)),
                        Cells.phaseCells(r.phase(0)),
                        Table.f0(r.heapAfterGcBytes() / 1048576.0),
                        r.checkpointBytes() < 0 ? "–" : Table.f1(r.checkpointBytes() / 1024.0));
            }
            tput.put("parallelism " + p, fps);
            p99.put("parallelism " + p, lat);
        }
        t.print();
        Table.note(
                "(heap after GC = the whole bench JVM: broker, MiniCluster, frames in memory; checkpoint = latest completed, REST /jobs/:id/checkpoints)\n");
        Charts.byCameras(
                ctx.charts.resolve("scaling-throughput.png"),
                "FrameFlow drain throughput vs cameras ("
                        + Cells.name(ctx.scalingModel)
                        + ", "
                        + ctx.scalingRes
                        + ")",
                "frames/s",
                ctx.cameras,
                tput);
        Charts.byCameras(
                ctx.charts.resolve("scaling-p99.png"),
                "p99 latency at "
                        + Table.f1(rate)
                        + " f/s total vs cameras ("
                        + Cells.name(ctx.scalingModel)
                        + ", "
                        + ctx.scalingRes
                        + ")",
                "p99 ms",
                ctx.cameras,
                p99);
    }
}
