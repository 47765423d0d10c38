package io.frameflow.bench;

import io.frameflow.testkit.SharedResources;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/** Scenario 3: the naive single-consumer baseline at the paced rates FrameFlow ran at. */
final class BaselineScenario {

    private final BenchContext ctx;

    BaselineScenario(BenchContext ctx) {
        this.ctx = ctx;
    }

    void run() throws Exception {
        ctx.warmUp(
                "naive baseline",
                0,
                topics ->
                        new NaiveBaseline(
                                ctx.broker.bootstrapServers(),
                                topics,
                                SharedResources.model(ctx.warmUpModel()),
                                ctx.baselineThreads.get(0)));
        Table t =
                new Table(
                        "3. Naive baseline (one consumer: poll → decode → infer → draw → encode → produce, one frame at a time) vs FrameFlow at the same paced rates; ceiling = limit ÷ baseline, the most any design could reach",
                        "model",
                        "frames",
                        "baseline ORT threads",
                        "baseline f/s",
                        "baseline CPU ms / frame",
                        "FrameFlow f/s",
                        "FrameFlow ÷ baseline",
                        "ceiling",
                        "rate f/s",
                        "baseline p50 / p95 / p99 ms",
                        "FrameFlow p50 / p95 / p99 ms",
                        "rate f/s",
                        "baseline p50 / p95 / p99 ms",
                        "FrameFlow p50 / p95 / p99 ms");
        for (String model : ctx.models) {
            for (String res : ctx.resolutions) {
                String k = Cells.key(model, res);
                EndToEnd.Result ff = ctx.flink.get(k);
                List<DoubleUnaryOperator> rates = new ArrayList<>();
                if (ff != null) {
                    for (EndToEnd.Phase p : ff.phases()) {
                        rates.add(d -> p.rate());
                    }
                } else {
                    rates = List.of(d -> 0.5 * d, d -> 0.9 * d);
                }
                for (int threads : ctx.baselineThreads) {
                    EndToEnd.Result r =
                            EndToEnd.run(
                                    ctx.broker,
                                    ctx.frameSets.get(res),
                                    ctx.e2eCameras,
                                    ctx.preload(k),
                                    rates,
                                    ctx.pacedSeconds,
                                    topics ->
                                            new NaiveBaseline(
                                                    ctx.broker.bootstrapServers(),
                                                    topics,
                                                    SharedResources.model(model),
                                                    threads));
                    if (threads == ctx.baselineThreads.get(0)) {
                        ctx.naive.put(k, r);
                    } else {
                        ctx.extraNaive.put(
                                "naive, " + threads + " ORT thread(s), " + Cells.label(k), r);
                    }
                    Double limit = ctx.limits.get(k);
                    t.row(
                            Cells.name(model),
                            res,
                            threads,
                            Table.f1(r.drainFps()),
                            Table.f1(r.cpuMsPerFrame()),
                            ff == null ? "–" : Table.f1(ff.drainFps()),
                            ff == null ? "–" : "**" + Table.f2(ff.drainFps() / r.drainFps()) + "**",
                            limit == null ? "–" : Table.f2(limit / r.drainFps()),
                            Cells.phaseRate(r.phase(0)),
                            Cells.phaseCells(r.phase(0)),
                            ff == null ? "–" : Cells.phaseCells(ff.phase(0)),
                            Cells.phaseRate(r.phase(1)),
                            Cells.phaseCells(r.phase(1)),
                            ff == null ? "–" : Cells.phaseCells(ff.phase(1)));
                }
            }
        }
        t.print();
    }
}
