package io.frameflow.bench;

import io.frameflow.testkit.EmbeddedKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The benchmark suite: {@code limit e2e baseline scaling stages} (default: all, in that order; a
 * later scenario uses the figures of the earlier ones from the same run). Knobs are system
 * properties {@code -Dbench.*}, listed in {@code bench/run.sh}; one class per scenario, sharing a
 * {@link BenchContext}.
 */
public final class Bench {

    private final BenchContext ctx = new BenchContext();

    public static void main(String[] args) throws Exception {
        Set<String> scenarios = new LinkedHashSet<>(Arrays.asList(args));
        if (scenarios.isEmpty() || scenarios.contains("all")) {
            scenarios =
                    new LinkedHashSet<>(List.of("limit", "e2e", "baseline", "scaling", "stages"));
        }
        for (String s : scenarios) {
            if (!List.of(
                            "limit",
                            "e2e",
                            "baseline",
                            "scaling",
                            "stages",
                            "infer-every",
                            "preprocess",
                            "decode",
                            "compare",
                            "tracking",
                            "tail",
                            "cameras",
                            "models")
                    .contains(s)) {
                throw new IllegalArgumentException(
                        "Unknown scenario "
                                + s
                                + "; use limit e2e baseline scaling stages infer-every"
                                + " preprocess decode compare tracking tail cameras models (or all: the first"
                                + " five)");
            }
        }
        Path results =
                Path.of(System.getProperty("bench.results", "bench/target/bench-results.md"));
        Files.createDirectories(results.toAbsolutePath().getParent());
        Files.deleteIfExists(results);
        Table.resultsFile(results);
        new Bench().run(scenarios);
        System.out.println("\nresults: " + results);
        System.exit(0); // Flink and Kafka leave non-daemon threads behind
    }

    private void run(Set<String> scenarios) throws Exception {
        MachineNote.print("start");
        for (String res : ctx.resolutions) {
            ctx.frameSets.put(res, ctx.loadFrames(res));
        }
        try {
            if (scenarios.contains("preprocess")) {
                new PreprocessScenario(ctx).run();
            }
            if (scenarios.contains("decode")) {
                new DecodeScenario(ctx).run();
            }
            if (scenarios.contains("limit")) {
                new LimitScenario(ctx).run();
            }
            if (scenarios.contains("e2e")
                    || scenarios.contains("baseline")
                    || scenarios.contains("scaling")
                    || scenarios.contains("stages")
                    || scenarios.contains("infer-every")
                    || scenarios.contains("compare")
                    || scenarios.contains("tail")
                    || scenarios.contains("cameras")) {
                ctx.broker = EmbeddedKafkaBroker.start();
            }
            if (scenarios.contains("compare")) {
                new ComparisonScenario(ctx).run();
            }
            if (scenarios.contains("e2e")) {
                new EndToEndScenario(ctx).run();
            }
            if (scenarios.contains("baseline")) {
                new BaselineScenario(ctx).run();
            }
            if (scenarios.contains("e2e") || scenarios.contains("baseline")) {
                CpuAndLatencyReport report = new CpuAndLatencyReport(ctx);
                report.cpuTable();
                report.latencyCharts();
            }
            if (scenarios.contains("scaling")) {
                new ScalingScenario(ctx).run();
            }
            if (scenarios.contains("stages")) {
                new StageScenario(ctx).run();
            }
            if (scenarios.contains("infer-every")) {
                new InferEveryScenario(ctx).run();
            }
            if (scenarios.contains("cameras")) {
                new CameraCountScenario(ctx).run();
            }
            if (scenarios.contains("tail")) {
                new TailLatencyScenario(ctx).run();
            }
            if (scenarios.contains("models")) {
                new ModelCostScenario().run();
            }
            if (scenarios.contains("tracking")) {
                new TrackingCostScenario().run();
            }
        } finally {
            if (ctx.broker != null) {
                ctx.broker.close();
            }
        }
        MachineNote.print("end");
    }
}
