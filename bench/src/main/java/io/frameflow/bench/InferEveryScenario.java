package io.frameflow.bench;

import io.frameflow.testkit.SharedResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario {@code infer-every} (issue 16, "cameras per machine"): FrameFlow end to end with every
 * camera at {@code inferEvery} N (docs/camera-settings.md), N side by side, plus N = 1 without
 * tracking (what tracking itself costs). The variants run interleaved (A B C ... A B C ...) for
 * {@code -Dbench.repeats} rounds after the usual warm-up, so each sees the same warm JVM and the
 * same machine state; each cell is the median of the rounds with the min–max spread.
 *
 * <p>Drain f/s is how many frames a second the machine carries end to end (all annotated, counted
 * and windowed, predicted frames included): the ratio to N = 1 is how many more cameras at the same
 * frame rate it carries. Latency is measured at 50 % of each variant's own drain rate. Beside them,
 * in the same run, the line and zone counts each N gives on the real clip with the same detector
 * (the one-by-one clip's exit line and table zone, every phase: {@link InferEveryCounts}), against
 * the eye count of 6 exits and 6 table visits; {@code RealClipEventsTest} asserts them for N = 3.
 * Needs ffmpeg for the clip.
 */
final class InferEveryScenario {

    private final BenchContext ctx;

    InferEveryScenario(BenchContext ctx) {
        this.ctx = ctx;
    }

    /** One row of the table: a name, its N, whether it tracks, the job arguments that make it. */
    private record Variant(
            String name, int n, boolean tracking, List<String> args, boolean annotated) {
        Variant(String name, int n, List<String> args) {
            this(name, n, true, args, true);
        }
    }

    void run() throws Exception {
        String model = ctx.models.get(0);
        String res = ctx.resolutions.get(0);
        int repeats = Integer.getInteger("bench.repeats", 3);
        int preload = Integer.getInteger("bench.inferEveryPreload", 900);
        Path dir = Files.createDirectories(Path.of("bench/target/infer-every"));
        List<Variant> variants = new ArrayList<>();
        variants.add(
                new Variant("1, --tracking false", 1, false, List.of("--tracking", "false"), true));
        for (String n : System.getProperty("bench.inferEvery", "1,2,3,5").split(",")) {
            variants.add(
                    new Variant(
                            n.trim(),
                            Integer.parseInt(n.trim()),
                            List.of("--camera-config", inferEvery(dir, n.trim()))));
        }
        // -Dbench.withoutAnnotation=1,3: those N again with --annotated-frames false (detections,
        // events and stats only), metered on the detections topic
        for (String n : System.getProperty("bench.withoutAnnotation", "").split(",")) {
            if (!n.isBlank()) {
                variants.add(
                        new Variant(
                                n.trim() + ", --annotated-frames false",
                                Integer.parseInt(n.trim()),
                                true,
                                List.of(
                                        "--camera-config",
                                        inferEvery(dir, n.trim()),
                                        "--annotated-frames",
                                        "false"),
                                false));
            }
        }
        // -Dbench.withArgs=3:--kafka.batch.size,16384;1:--kafka.batch.size,16384: those N again
        // with extra job arguments, comma-separated (BENCH_OPTS splits at spaces): a what-if beside
        // the defaults, in the same rounds
        for (String spec : System.getProperty("bench.withArgs", "").split(";")) {
            if (!spec.isBlank()) {
                int colon = spec.indexOf(':');
                if (colon < 1) {
                    throw new IllegalArgumentException(
                            "-Dbench.withArgs: want N:--option,value;... got " + spec);
                }
                String n = spec.substring(0, colon).trim();
                List<String> extra = List.of(spec.substring(colon + 1).trim().split(","));
                List<String> args = new ArrayList<>(List.of("--camera-config", inferEvery(dir, n)));
                args.addAll(extra);
                variants.add(
                        new Variant(n + ", " + String.join(" ", extra), Integer.parseInt(n), args));
            }
        }
        ctx.warmUp(
                "FrameFlow (infer-every)",
                ctx.warmUpSeconds,
                topics ->
                        FlinkSystem.start(
                                ctx.broker.bootstrapServers(),
                                topics,
                                SharedResources.model(model),
                                ctx.parallelism,
                                "10 s"));
        Map<String, List<EndToEnd.Result>> results = new LinkedHashMap<>();
        for (int round = 1; round <= repeats; round++) {
            for (Variant v : variants) {
                EndToEnd.Result r =
                        EndToEnd.run(
                                ctx.broker,
                                ctx.frameSets.get(res),
                                ctx.e2eCameras,
                                preload,
                                List.of(d -> 0.5 * d),
                                ctx.pacedSeconds,
                                topics ->
                                        FlinkSystem.start(
                                                ctx.broker.bootstrapServers(),
                                                topics,
                                                SharedResources.model(model),
                                                ctx.parallelism,
                                                "10 s",
                                                System.getProperty("bench.flinkConf", ""),
                                                v.args()),
                                v.annotated() ? Topics::annotated : Topics::detections);
                results.computeIfAbsent(v.name(), k -> new ArrayList<>()).add(r);
                System.out.printf(
                        "infer-every round %d, inferEvery %s: %.1f f/s, %.2f CPU ms/frame%n",
                        round, v.name(), r.drainFps(), r.cpuMsPerFrame());
            }
        }
        InferEveryCounts counts =
                InferEveryCounts.of(
                        TrackingCostScenario.clipDetections(model),
                        model,
                        variants.stream().filter(Variant::tracking).map(Variant::n).toList());
        print(model, res, repeats, variants, results, counts);
        counts.print();
    }

    private void print(
            String model,
            String res,
            int repeats,
            List<Variant> variants,
            Map<String, List<EndToEnd.Result>> results,
            InferEveryCounts counts) {
        Map<String, Variant> byName = new LinkedHashMap<>();
        variants.forEach(v -> byName.put(v.name(), v));
        Table t =
                new Table(
                        "inferEvery: "
                                + Cells.name(model)
                                + " "
                                + res
                                + ", "
                                + ctx.e2eCameras
                                + " cameras, parallelism "
                                + ctx.parallelism
                                + "; median (min–max) of "
                                + repeats
                                + " interleaved rounds",
                        "inferEvery",
                        "drain f/s",
                        "× inferEvery 1 (within each round)",
                        "CPU ms / frame",
                        "p50 / p95 / p99 ms at 50 % load",
                        "clip: exits / table visits, every phase (eye 6 / 6)");
        // the ratio is to inferEvery 1 with tracking, or to the first variant when 1 is not run;
        // a variant without annotation to N = 1 without annotation; taken within each round
        List<EndToEnd.Result> base = results.getOrDefault("1", results.values().iterator().next());
        List<EndToEnd.Result> plain = results.get("1, --annotated-frames false");
        for (Map.Entry<String, List<EndToEnd.Result>> e : results.entrySet()) {
            List<Double> ratioTo =
                    drains(
                            plain != null && e.getKey().endsWith("--annotated-frames false")
                                    ? plain
                                    : base);
            List<Double> drains = drains(e.getValue());
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < drains.size(); i++) {
                ratios.add(drains.get(i) / ratioTo.get(i));
            }
            List<Double> cpu = e.getValue().stream().map(EndToEnd.Result::cpuMsPerFrame).toList();
            List<Double> p99 = new ArrayList<>();
            for (EndToEnd.Result r : e.getValue()) {
                if (r.phase(0) != null && r.phase(0).latency().count() > 0) {
                    p99.add(r.phase(0).latency().p99());
                }
            }
            EndToEnd.Result middle = closestTo(e.getValue(), Spread.median(drains));
            t.row(
                    e.getKey(),
                    Spread.of(drains, 1),
                    Spread.of(ratios, 2),
                    Spread.of(cpu, 1),
                    Cells.phaseCells(middle.phase(0)) + " (p99 " + Spread.of(p99, 1) + ")",
                    byName.get(e.getKey()).tracking()
                            ? counts.overPhases(byName.get(e.getKey()).n())
                            : "– (no tracks)");
        }
        t.print();
        printCpu(results);
    }

    /** Where each variant's CPU went per frame, by thread group: median of its rounds. */
    private static void printCpu(Map<String, List<EndToEnd.Result>> results) {
        Map<String, List<EndToEnd.Result>> columns = new LinkedHashMap<>();
        results.forEach((k, rs) -> columns.put("inferEvery " + k, rs));
        CpuByGroupTable.print(
                "inferEvery: where the CPU goes while draining, per output frame",
                "thread group (CPU ms per frame, median)",
                columns);
    }

    private static List<Double> drains(List<EndToEnd.Result> rs) {
        return rs.stream().map(EndToEnd.Result::drainFps).toList();
    }

    private static EndToEnd.Result closestTo(List<EndToEnd.Result> rs, double drain) {
        EndToEnd.Result best = rs.get(0);
        for (EndToEnd.Result r : rs) {
            if (Math.abs(r.drainFps() - drain) < Math.abs(best.drainFps() - drain)) {
                best = r;
            }
        }
        return best;
    }

    /** A settings file giving every camera inferEvery {@code n}; its path. */
    private static String inferEvery(Path dir, String n) throws IOException {
        Path config = dir.resolve("every-" + n + ".json");
        Files.writeString(config, "{\"*\":{\"inferEvery\":" + n + "}}");
        return config.toString();
    }
}
