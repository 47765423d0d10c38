package io.frameflow.bench;

import io.frameflow.testkit.EmbeddedKafkaBroker;
import io.frameflow.testkit.SharedResources;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;

/**
 * The benchmark suite: {@code limit e2e baseline scaling stages} (default: all, in that order; a
 * later scenario uses the figures of the earlier ones from the same run). Knobs are system
 * properties {@code -Dbench.*}, listed in {@code bench/run.sh}.
 */
public final class Bench {

    private final List<String> models = list("bench.models", "yolox_nano.onnx,FastestDet.onnx");
    private final List<String> resolutions = list("bench.res", "480p,1080p");
    private final double limitSeconds = num("bench.seconds", 8);
    private final double drainSeconds = num("bench.drainSeconds", 12);

    /** At most this many frames are preloaded per run (fast models would drain longer). */
    private final int maxPreload = (int) num("bench.maxPreload", 3000);

    private final double pacedSeconds = num("bench.pacedSeconds", 12);
    private final int cores = Runtime.getRuntime().availableProcessors();
    private final int parallelism = (int) num("bench.parallelism", cores);

    /**
     * ORT intra-op threads of the naive baseline; the first is the reference (charts, CPU table),
     * e.g. {@code 2,1} adds the single-threaded consumer the issue quotes (~46 f/s).
     */
    private final List<Integer> baselineThreads =
            list("bench.baselineThreads", String.valueOf(cores)).stream()
                    .map(Integer::parseInt)
                    .toList();

    private final List<Integer> cameras =
            list("bench.cameras", "1,4,16,64").stream().map(Integer::parseInt).toList();
    private final List<Integer> scalingParallelism =
            list("bench.scalingParallelism", "1," + cores).stream()
                    .map(Integer::parseInt)
                    .distinct()
                    .toList();
    private final String scalingModel = System.getProperty("bench.scalingModel", models.get(0));
    private final String scalingRes = System.getProperty("bench.scalingRes", resolutions.get(0));

    /** Cameras in scenarios 2 and 3: 0 = the 6 source cameras of the media (skewed: see docs). */
    private final int e2eCameras = (int) num("bench.e2eCameras", 16);

    /** Adds a FrameFlow row for the first configuration on the 6 source cameras. */
    private final boolean sourceCamerasRow =
            Boolean.parseBoolean(System.getProperty("bench.sourceCamerasRow", "true"));

    private final int warmUpFrames = (int) num("bench.warmUpFrames", 2000);

    /** FrameFlow's warm-up repeats runs of {@code warmUpFrames} until this much time has passed. */
    private final double warmUpSeconds = num("bench.warmUpSeconds", 180);

    private final Path charts = Path.of(System.getProperty("bench.charts", "docs/bench"));

    private final Map<String, FrameSet> frameSets = new LinkedHashMap<>();
    private final Map<String, Double> limits = new LinkedHashMap<>();
    private final Map<String, EndToEnd.Result> flink = new LinkedHashMap<>();
    private final Map<String, EndToEnd.Result> naive = new LinkedHashMap<>();
    private final Map<String, EndToEnd.Result> extraNaive = new LinkedHashMap<>();
    private EmbeddedKafkaBroker broker;

    /** Extra Flink settings for one what-if FrameFlow run of the first configuration. */
    private final String whatIf = System.getProperty("bench.whatIf", "");

    private EndToEnd.Result whatIfResult;

    public static void main(String[] args) throws Exception {
        Set<String> scenarios = new LinkedHashSet<>(Arrays.asList(args));
        if (scenarios.isEmpty() || scenarios.contains("all")) {
            scenarios =
                    new LinkedHashSet<>(List.of("limit", "e2e", "baseline", "scaling", "stages"));
        }
        for (String s : scenarios) {
            if (!List.of("limit", "e2e", "baseline", "scaling", "stages").contains(s)) {
                throw new IllegalArgumentException(
                        "Unknown scenario "
                                + s
                                + "; use limit e2e baseline scaling stages (or all)");
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
        machine("start");
        for (String res : resolutions) {
            frameSets.put(res, loadFrames(res));
        }
        try {
            if (scenarios.contains("limit")) {
                limit();
            }
            if (scenarios.contains("e2e")
                    || scenarios.contains("baseline")
                    || scenarios.contains("scaling")
                    || scenarios.contains("stages")) {
                broker = EmbeddedKafkaBroker.start();
            }
            if (scenarios.contains("e2e")) {
                endToEnd();
            }
            if (scenarios.contains("baseline")) {
                baseline();
            }
            if (scenarios.contains("e2e") || scenarios.contains("baseline")) {
                cpuTable();
                latencyCharts();
            }
            if (scenarios.contains("scaling")) {
                scaling();
            }
            if (scenarios.contains("stages")) {
                stages();
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
        machine("end");
    }

    // ---------------------------------------------------------------- scenarios

    private void limit() throws Exception {
        Table t =
                new Table(
                        "1. Limit: engine alone, frames in memory, no Kafka (decode + preprocess + infer + postprocess + annotate + encode)",
                        "model",
                        "frames",
                        "variant",
                        "frames/s",
                        "CPU ms / frame",
                        "best");
        for (String model : models) {
            for (String res : resolutions) {
                List<LimitBench.Variant> vs =
                        LimitBench.run(
                                SharedResources.model(model), frameSets.get(res), limitSeconds);
                double best = vs.stream().mapToDouble(LimitBench.Variant::fps).max().orElseThrow();
                limits.put(key(model, res), best);
                for (LimitBench.Variant v : vs) {
                    t.row(
                            name(model),
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

    /**
     * Throw-away runs of the system first, repeated until {@code seconds} have passed: in this JVM
     * (broker, MiniCluster, clients and the bench together) the C2 compiler keeps compiling for
     * minutes after start (docs/benchmarks.md: a FastestDet job's drain rate rises 115 → 121 → 136
     * → 171 f/s over its first four runs while the JIT's share falls). A long-running job pays that
     * once; leaving it out measures the pipeline, not the JVM's start. Each run's rate and JIT
     * share is printed so the settling shows.
     */
    private void warmUp(String what, double seconds, EndToEnd.Starter starter) throws Exception {
        long t0 = System.nanoTime();
        int run = 0;
        do {
            EndToEnd.Result r =
                    EndToEnd.run(
                            broker,
                            frameSets.get(resolutions.get(0)),
                            e2eCameras,
                            warmUpFrames,
                            List.of(),
                            0,
                            starter);
            System.out.printf(
                    "warm-up %s run %d: %.1f f/s, JIT %.2f ms per frame (%.0f s so far)%n",
                    what,
                    ++run,
                    r.drainFps(),
                    r.cpuByGroup().getOrDefault(Cpu.JIT, 0.0),
                    (System.nanoTime() - t0) / 1e9);
        } while ((System.nanoTime() - t0) / 1e9 < seconds);
    }

    /** The fastest model pushes the most frames through the Kafka and Flink code per second. */
    private String warmUpModel() {
        return models.contains("FastestDet.onnx") ? "FastestDet.onnx" : models.get(0);
    }

    private void endToEnd() throws Exception {
        warmUp(
                "FrameFlow",
                warmUpSeconds,
                topics ->
                        FlinkSystem.start(
                                broker.bootstrapServers(),
                                topics,
                                SharedResources.model(warmUpModel()),
                                parallelism,
                                "10 s"));
        Table t =
                new Table(
                        "2. FrameFlow end to end (embedded broker + MiniCluster, parallelism "
                                + parallelism
                                + ", "
                                + (e2eCameras == 0
                                        ? "the 6 source cameras"
                                        : e2eCameras + " cameras")
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
        for (String model : models) {
            for (String res : resolutions) {
                String k = key(model, res);
                EndToEnd.Result r = frameFlowRun(model, res, e2eCameras, null);
                flink.put(k, r);
                row(t, name(model), res, limits.get(k), r);
                if (!whatIf.isEmpty() && k.equals(key(scalingModel, scalingRes))) {
                    // the same job with extra Flink settings, side by side in this run
                    EndToEnd.Result w = frameFlowRun(model, res, e2eCameras, whatIf);
                    row(t, name(model) + " + `" + whatIf + "`", res, limits.get(k), w);
                    whatIfResult = w;
                }
                if (sourceCamerasRow
                        && e2eCameras != 0
                        && k.equals(key(scalingModel, scalingRes))) {
                    // the media's own 6 cameras: their hash split over the slots is uneven
                    EndToEnd.Result w = frameFlowRun(model, res, 0, null);
                    row(t, name(model) + ", the 6 source cameras", res, limits.get(k), w);
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
                broker,
                frameSets.get(res),
                cams,
                preload(key(model, res)),
                List.of(d -> 0.5 * d, d -> 0.9 * d),
                pacedSeconds,
                topics ->
                        FlinkSystem.start(
                                broker.bootstrapServers(),
                                topics,
                                SharedResources.model(model),
                                parallelism,
                                "10 s",
                                flinkConf != null
                                        ? flinkConf
                                        : System.getProperty("bench.flinkConf", "")));
    }

    private static void row(Table t, String model, String res, Double limit, EndToEnd.Result r) {
        t.row(
                model,
                res,
                limit == null ? "–" : Table.f1(limit),
                Table.f1(r.drainFps()),
                Table.f1(r.cpuMsPerFrame()),
                limit == null ? "–" : "**" + Table.f2(r.drainFps() / limit) + "**",
                phaseRate(r.phase(0)),
                phaseCells(r.phase(0)),
                phaseRate(r.phase(1)),
                phaseCells(r.phase(1)));
    }

    private void baseline() throws Exception {
        warmUp(
                "naive baseline",
                0,
                topics ->
                        new NaiveBaseline(
                                broker.bootstrapServers(),
                                topics,
                                SharedResources.model(warmUpModel()),
                                baselineThreads.get(0)));
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
        for (String model : models) {
            for (String res : resolutions) {
                String k = key(model, res);
                EndToEnd.Result ff = flink.get(k);
                List<DoubleUnaryOperator> rates = new ArrayList<>();
                if (ff != null) {
                    for (EndToEnd.Phase p : ff.phases()) {
                        rates.add(d -> p.rate());
                    }
                } else {
                    rates = List.of(d -> 0.5 * d, d -> 0.9 * d);
                }
                for (int threads : baselineThreads) {
                    EndToEnd.Result r =
                            EndToEnd.run(
                                    broker,
                                    frameSets.get(res),
                                    e2eCameras,
                                    preload(k),
                                    rates,
                                    pacedSeconds,
                                    topics ->
                                            new NaiveBaseline(
                                                    broker.bootstrapServers(),
                                                    topics,
                                                    SharedResources.model(model),
                                                    threads));
                    if (threads == baselineThreads.get(0)) {
                        naive.put(k, r);
                    } else {
                        extraNaive.put("naive, " + threads + " ORT thread(s), " + label(k), r);
                    }
                    Double limit = limits.get(k);
                    t.row(
                            name(model),
                            res,
                            threads,
                            Table.f1(r.drainFps()),
                            Table.f1(r.cpuMsPerFrame()),
                            ff == null ? "–" : Table.f1(ff.drainFps()),
                            ff == null ? "–" : "**" + Table.f2(ff.drainFps() / r.drainFps()) + "**",
                            limit == null ? "–" : Table.f2(limit / r.drainFps()),
                            phaseRate(r.phase(0)),
                            phaseCells(r.phase(0)),
                            ff == null ? "–" : phaseCells(ff.phase(0)),
                            phaseRate(r.phase(1)),
                            phaseCells(r.phase(1)),
                            ff == null ? "–" : phaseCells(ff.phase(1)));
                }
            }
        }
        t.print();
    }

    /** Where the whole JVM's CPU went while draining, per frame, by thread group. */
    private void cpuTable() {
        Map<String, EndToEnd.Result> runs = new LinkedHashMap<>();
        flink.forEach((k, r) -> runs.put("FrameFlow " + label(k), r));
        if (whatIfResult != null) {
            runs.put("FrameFlow + what-if " + label(key(scalingModel, scalingRes)), whatIfResult);
        }
        naive.forEach((k, r) -> runs.put("naive " + label(k), r));
        runs.putAll(extraNaive);
        Set<String> groups = new LinkedHashSet<>();
        runs.values().forEach(r -> groups.addAll(r.cpuByGroup().keySet()));
        List<String> cols =
                new ArrayList<>(List.of("thread group (CPU ms per frame while draining)"));
        cols.addAll(runs.keySet());
        Table t =
                new Table(
                        "2b. Where the CPU goes: CPU time of the whole JVM per output frame, by thread group",
                        cols.toArray(String[]::new));
        for (String g : groups) {
            List<Object> row = new ArrayList<>(List.of(g));
            runs.values().forEach(r -> row.add(Table.f2(r.cpuByGroup().getOrDefault(g, 0.0))));
            t.row(row.toArray());
        }
        List<Object> total = new ArrayList<>(List.of("**total**"));
        runs.values().forEach(r -> total.add("**" + Table.f1(r.cpuMsPerFrame()) + "**"));
        t.row(total.toArray());
        t.print();
    }

    private static String label(String key) {
        String[] p = key.split("\\|");
        return name(p[0]) + " " + p[1];
    }

    private void latencyCharts() throws Exception {
        for (String model : models) {
            for (String res : resolutions) {
                String k = key(model, res);
                Map<String, List<Double>> series = new LinkedHashMap<>();
                String[] loads = {"50%", "90%"};
                for (int i = 0; i < 2; i++) {
                    addPercentiles(series, "FrameFlow @ " + loads[i], flink.get(k), i);
                    if (k.equals(key(scalingModel, scalingRes))) {
                        addPercentiles(
                                series, "FrameFlow + what-if @ " + loads[i], whatIfResult, i);
                    }
                    addPercentiles(series, "naive @ " + loads[i], naive.get(k), i);
                }
                if (!series.isEmpty()) {
                    Charts.percentiles(
                            charts.resolve("latency-" + name(model) + "-" + res + ".png"),
                            "End-to-end latency, "
                                    + name(model)
                                    + ", "
                                    + res
                                    + " frames (load = % of FrameFlow's drain rate)",
                            series);
                }
            }
        }
    }

    private static void addPercentiles(
            Map<String, List<Double>> series, String name, EndToEnd.Result r, int phase) {
        if (r != null && r.phase(phase) != null && r.phase(phase).latency().count() > 0) {
            Latencies l = r.phase(phase).latency();
            series.put(name, List.of(l.p50(), l.p95(), l.p99()));
        }
    }

    private void scaling() throws Exception {
        String k = key(scalingModel, scalingRes);
        double rate = Double.parseDouble(System.getProperty("bench.scalingRate", "0"));
        if (rate <= 0) {
            EndToEnd.Result ff = flink.get(k);
            rate =
                    ff != null
                            ? 0.5 * ff.drainFps()
                            : limits.containsKey(k) ? 0.4 * limits.get(k) : 20;
        }
        double paced = rate;
        Table t =
                new Table(
                        "4. Scaling: "
                                + name(scalingModel)
                                + ", "
                                + scalingRes
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
        for (int p : scalingParallelism) {
            List<Double> fps = new ArrayList<>();
            List<Double> lat = new ArrayList<>();
            for (int c : cameras) {
                EndToEnd.Result r =
                        EndToEnd.run(
                                broker,
                                frameSets.get(scalingRes),
                                c,
                                preload(k) * p / cores,
                                List.of(d -> paced),
                                pacedSeconds,
                                topics ->
                                        FlinkSystem.start(
                                                broker.bootstrapServers(),
                                                topics,
                                                SharedResources.model(scalingModel),
                                                p,
                                                "5 s"));
                fps.add(r.drainFps());
                lat.add(r.phase(0).latency().p99());
                t.row(
                        p,
                        c,
                        Table.f1(r.drainFps()),
                        Table.f2(r.drainFps() / fps.get(0)),
                        phaseCells(r.phase(0)),
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
                charts.resolve("scaling-throughput.png"),
                "FrameFlow drain throughput vs cameras ("
                        + name(scalingModel)
                        + ", "
                        + scalingRes
                        + ")",
                "frames/s",
                cameras,
                tput);
        Charts.byCameras(
                charts.resolve("scaling-p99.png"),
                "p99 latency at "
                        + Table.f1(rate)
                        + " f/s total vs cameras ("
                        + name(scalingModel)
                        + ", "
                        + scalingRes
                        + ")",
                "p99 ms",
                cameras,
                p99);
    }

    private void stages() throws Exception {
        Table t =
                new Table(
                        "5. Cost of each stage, one thread, single-threaded engine (ms per frame and share)",
                        "model",
                        "frames",
                        "stage",
                        "ms / frame",
                        "share");
        for (String model : models) {
            for (String res : resolutions) {
                Map<String, Double> ms =
                        StageCost.run(
                                broker,
                                SharedResources.model(model),
                                frameSets.get(res),
                                limitSeconds);
                double total = ms.values().stream().mapToDouble(Double::doubleValue).sum();
                ms.forEach(
                        (stage, v) ->
                                t.row(
                                        name(model),
                                        res,
                                        stage,
                                        Table.f2(v),
                                        Table.f0(100 * v / total) + " %"));
                t.row(name(model), res, "**total**", Table.f2(total), "100 %");
            }
        }
        t.print();
    }

    // ---------------------------------------------------------------- helpers

    private int preload(String k) {
        Double limit = limits.get(k);
        double fps = limit != null ? limit : 40;
        return (int) Math.max(300, Math.min(maxPreload, fps * drainSeconds));
    }

    private static String phaseRate(EndToEnd.Phase p) {
        if (p == null) {
            return "–";
        }
        String s = Table.f1(p.rate());
        return p.received() < p.sent() ? s + " (" + p.received() + "/" + p.sent() + " out)" : s;
    }

    private static String phaseCells(EndToEnd.Phase p) {
        return p == null ? "–" : p.latency().cells().replace(" | ", " / ");
    }

    private FrameSet loadFrames(String res) {
        Path dir;
        if (res.equals("480p")) {
            dir =
                    Path.of(
                            System.getProperty(
                                    "bench.frames480p",
                                    SharedResources.media("frames").toString()));
        } else {
            dir = Path.of(System.getProperty("bench.frames" + res, "bench/target/frames-" + res));
        }
        FrameSet f = FrameSet.load(res, dir);
        System.out.printf(
                "frames %s: %d from %s, mean %.0f KiB%n", res, f.size(), dir, f.meanBytes() / 1024);
        return f;
    }

    private static void machine(String when) throws Exception {
        String cpu =
                Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                        .filter(l -> l.startsWith("model name"))
                        .findFirst()
                        .map(l -> l.replaceAll(".*:\\s*", ""))
                        .orElse("?");
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        String text =
                String.format(
                        "%n%s %s: %d cores (%s), %d MiB RAM, Java %s, max heap %d MiB, load average %s%n",
                        when,
                        Instant.now(),
                        Runtime.getRuntime().availableProcessors(),
                        cpu,
                        ((com.sun.management.OperatingSystemMXBean)
                                                ManagementFactory.getOperatingSystemMXBean())
                                        .getTotalMemorySize()
                                >> 20,
                        System.getProperty("java.version"),
                        Runtime.getRuntime().maxMemory() >> 20,
                        load);
        System.out.print(text);
        Table.note(text);
    }

    private static String key(String model, String res) {
        return model + "|" + res;
    }

    private static String name(String model) {
        return model.replaceAll("\\.onnx$", "");
    }

    private static List<String> list(String prop, String def) {
        return Arrays.stream(System.getProperty(prop, def).split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private static double num(String prop, double def) {
        return Double.parseDouble(System.getProperty(prop, String.valueOf(def)));
    }
}
