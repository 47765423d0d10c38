package io.frameflow.bench;

import io.frameflow.testkit.SharedResources;
import java.util.List;

/**
 * Scenario 1: the engine alone, frames in memory, no Kafka; its best rate per model and resolution
 * is the limit the later scenarios compare with.
 */
final class LimitScenario {

    private final BenchContext ctx;

    LimitScenario(BenchContext ctx) {
        this.ctx = ctx;
    }

    void run() throws Exception {
        Table t =
                new Table(
                        "1. Limit: engine alone, frames in memory, no Kafka (decode + preprocess + infer + postprocess + annotate + encode)",
                        "model",
                        "frames",
                        "variant",
                        "frames/s",
                        "CPU ms / frame",
                        "best");
        for (String model : ctx.models) {
            for (String res : ctx.resolutions) {
                List<LimitBench.Variant> vs =
                        LimitBench.run(
                                SharedResources.model(model),
                                ctx.frameSets.get(res),
                                ctx.limitSeconds);
                double best = vs.stream().mapToDouble(LimitBench.Variant::fps).max().orElseThrow();
                ctx.limits.put(Cells.key(model, res), best);
                for (LimitBench.Variant v : vs) {
                    t.row(
                            Cells.name(model),
                            res,
                            v.name(),
                            Table.f1(v.fps()),
                            Table.f1(v.cpuMsPerFrame()),
                            v.fps() == best ? "**limit**" : "");
                }
            }
        }
        t.print();
    }
}
