package io.frameflow.bench;

import io.frameflow.testkit.SharedResources;
import java.util.Map;

/** Scenario 5: the cost of each stage, one thread, per model and resolution. */
final class StageScenario {

    private final BenchContext ctx;

    StageScenario(BenchContext ctx) {
        this.ctx = ctx;
    }

    void run() throws Exception {
        Table t =
                new Table(
                        "5. Cost of each stage, one thread, single-threaded engine (ms per frame and share)",
                        "model",
                        "frames",
                        "stage",
                        "ms / frame",
                        "share");
        for (String model : ctx.models) {
            for (String res : ctx.resolutions) {
                Map<String, Double> ms =
                        StageCost.run(
                                ctx.broker,
                                SharedResources.model(model),
                                ctx.frameSets.get(res),
                                ctx.limitSeconds);
                double total = ms.values().stream().mapToDouble(Double::doubleValue).sum();
                ms.forEach(
                        (stage, v) ->
                                t.row(
                                        Cells.name(model),
                                        res,
                                        stage,
                                        Table.f2(v),
                                        Table.f0(100 * v / total) + " %"));
                t.row(Cells.name(model), res, "**total**", Table.f2(total), "100 %");
            }
        }
        t.print();
    }
}
