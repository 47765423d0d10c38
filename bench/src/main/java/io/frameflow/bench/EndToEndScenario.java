package io.frameflow.bench;

import io.frameflow.testkit.SharedResources;
import java.util.List;

/**
 * Scenario 2: FrameFlow end to end on the embedded broker and a MiniCluster, drained then paced at
 * 50 % and 90 % of its drain rate.
 */
final class EndToEndScenario {

    private final BenchContext ctx;

    EndToEndScenario(BenchContext ctx) {
        this.ctx = ctx;
    }

    void run() throws Exception {
        ctx.warmUp(
                "FrameFlow",
                ctx.warmUpSeconds,
                topics ->
                        FlinkSystem.start(
                                ctx.broker.bootstrapServers(),
                                topics,
                                SharedResources.model(ctx.warmUpModel()),
                                ctx.parallelism,
                                "10 s"));
        Table t =
                new Table(
                        "2. FrameFlow end to end (embedded broker + MiniCluster, parallelism "
                                + ctx.parallelism
                                + ", "
                                + (ctx.e2eCameras == 0
                                        ? "the 6 source cameras"
                                        : ctx.e2eCameras + " cameras")
                                + "; latency = arrival on frames.annotated − capture time)",
                        "model",
                        "frames",
                        "limit f/s",
                        "FrameFlow f/s (drain)",
                        "CPU ms / frame",
                        "efficiency",
                        "50% load f/s",
                        "p50 / p95 / p99 ms",
                        "90% load f/s",
                        "p50 / p95 / p99 ms");
        for (String model : ctx.models) {
            for (String res : ctx.resolutions) {
                String k = Cells.key(model, res);
                EndToEnd.Result r = frameFlowRun(model, res, ctx.e2eCameras, null);
                ctx.flink.put(k, r);
                Cells.row(t, Cells.name(model), res, ctx.limits.get(k), r);
                if (!ctx.whatIf.isEmpty()
                        && k.equals(Cells.key(ctx.scalingModel, ctx.scalingRes))) {
                    // the same job with extra Flink settings, side by side in this run
                    EndToEnd.Result w = frameFlowRun(model, res, ctx.e2eCameras, ctx.whatIf);
                    Cells.row(
                            t,
                            Cells.name(model) + " + `" + ctx.whatIf + "`",
                            res,
                            ctx.limits.get(k),
                            w);
                    ctx.whatIfResult = w;
                }
                if (ctx.sourceCamerasRow
                        && ctx.e2eCameras != 0
                        && k.equals(Cells.key(ctx.scalingModel, ctx.scalingRes))) {
                    // the media's own 6 cameras: their hash split over the slots is uneven
                    EndToEnd.Result w = frameFlowRun(model, res, 0, null);
                    Cells.row(
                            t,
                            Cells.name(model) + ", the 6 source cameras",
                            res,
                            ctx.limits.get(k),
                            w);
                }
            }
        }
        t.print();
    }

    /**
     * One FrameFlow run of scenario 2: drain, then paced at 50 % and 90 % of the drain rate; {@code
     * flinkConf} = what-if Flink settings, or null for {@code -Dbench.flinkConf}.
     */
    private EndToEnd.Result frameFlowRun(String model, String res, int cams, String flinkConf)
            throws Exception {
        return EndToEnd.run(
                ctx.broker,
                ctx.frameSets.get(res),
                cams,
                ctx.preload(Cells.key(model, res)),
                List.of(d -> 0.5 * d, d -> 0.9 * d),
                ctx.pacedSeconds,
                topics ->
                        FlinkSystem.start(
                                ctx.broker.bootstrapServers(),
                                topics,
                                SharedResources.model(model),
                                ctx.parallelism,
                                "10 s",
                                flinkConf != null
                                        ? flinkConf
                                        : System.getProperty("bench.flinkConf", "")));
    }
}
