package io.frameflow.bench;

import io.frameflow.testkit.SharedResources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;

/**
 * Scenario {@code compare} (issue 19): the engine's limit, FrameFlow end to end and the naive
 * single-consumer baseline measured the same way, so their ratios mean something. Each gets the
 * same warm-up ({@code -Dbench.compareWarmUpSeconds} of throw-away runs with the measured model),
 * then they run interleaved, limit → FrameFlow → baseline, for {@code -Dbench.repeats} rounds; the
 * baseline is paced at the rates FrameFlow was paced at in the same round. Every figure is quoted
 * as the median of the rounds with its min–max spread; a ratio (efficiency, FrameFlow ÷ baseline)
 * is taken within each round first. The machine and its load average are printed before and after
 * (MachineNote), and the CPU per frame split by thread group for every round.
 */
final class ComparisonScenario {

    private final BenchContext ctx;

    ComparisonScenario(BenchContext ctx) {
        this.ctx = ctx;
    }

    /** One round's three measurements. */
    private record Round(
            double limitFps, double limitCpuMs, EndToEnd.Result frameflow, EndToEnd.Result naive) {

        double efficiency() {
            return frameflow.drainFps() / limitFps;
        }

        double overBaseline() {
            return frameflow.drainFps() / naive.drainFps();
        }
    }

    void run() throws Exception {
        int repeats = Integer.getInteger("bench.repeats", 3);
        double warmUp = Double.parseDouble(System.getProperty("bench.compareWarmUpSeconds", "60"));
        String res = ctx.resolutions.get(0);
        FrameSet frames = ctx.frameSets.get(res);
        for (String model : ctx.models) {
            String k = Cells.key(model, res);
            // the same warm-up for all three: throw-away runs of the measured model for as long
            long t0 = System.nanoTime();
            while ((System.nanoTime() - t0) / 1e9 < warmUp) {
                LimitBench.run(SharedResources.model(model), frames, ctx.limitSeconds);
            }
            System.out.printf("warm-up limit %s: %.0f s%n", model, (System.nanoTime() - t0) / 1e9);
            ctx.warmUp("FrameFlow " + model, warmUp, topics -> frameflow(model, topics));
            ctx.warmUp("naive baseline " + model, warmUp, topics -> naive(model, topics));

            List<Round> rounds = new ArrayList<>();
            for (int round = 1; round <= repeats; round++) {
                List<LimitBench.Variant> vs =
                        LimitBench.run(SharedResources.model(model), frames, ctx.limitSeconds);
                LimitBench.Variant best = vs.get(0);
                for (LimitBench.Variant v : vs) {
                    if (v.fps() > best.fps()) {
                        best = v;
                    }
                }
                ctx.limits.put(k, best.fps());
                EndToEnd.Result ff =
                        EndToEnd.run(
                                ctx.broker,
                                frames,
                                ctx.e2eCameras,
                                ctx.preload(k),
                                List.of(d -> 0.5 * d, d -> 0.9 * d),
                                ctx.pacedSeconds,
                                topics -> frameflow(model, topics));
                List<DoubleUnaryOperator> rates = new ArrayList<>();
                for (EndToEnd.Phase p : ff.phases()) {
                    rates.add(d -> p.rate());
                }
                EndToEnd.Result naive =
                        EndToEnd.run(
                                ctx.broker,
                                frames,
                                ctx.e2eCameras,
                                ctx.preload(k),
                                rates,
                                ctx.pacedSeconds,
                                topics -> naive(model, topics));
                Round r = new Round(best.fps(), best.cpuMsPerFrame(), ff, naive);
                rounds.add(r);
                System.out.printf(
                        "compare %s round %d: limit %.1f f/s, FrameFlow %.1f f/s (efficiency"
                                + " %.2f), baseline %.1f f/s (FrameFlow ÷ baseline %.2f)%n",
                        model,
                        round,
                        r.limitFps(),
                        ff.drainFps(),
                        r.efficiency(),
                        naive.drainFps(),
                        r.overBaseline());
                printCpuSplit(model, round, ff, naive);
            }
            print(model, res, rounds);
            ctx.flink.put(k, median(rounds, x -> x.frameflow().drainFps()).frameflow());
            ctx.naive.put(k, median(rounds, x -> x.naive().drainFps()).naive());
        }
    }

    private SystemUnderTest frameflow(String model, Topics topics) throws Exception {
        return FlinkSystem.start(
                ctx.broker.bootstrapServers(),
                topics,
                SharedResources.model(model),
                ctx.parallelism,
                "10 s",
                System.getProperty("bench.flinkConf", ""));
    }

    private SystemUnderTest naive(String model, Topics topics) throws Exception {
        return new NaiveBaseline(
                ctx.broker.bootstrapServers(),
                topics,
                SharedResources.model(model),
                ctx.baselineThreads.get(0));
    }

    private void print(String model, String res, List<Round> rounds) {
        Table t =
                new Table(
                        "Limit, FrameFlow and the naive baseline, "
                                + Cells.name(model)
                                + " "
                                + res
                                + ", "
                                + ctx.e2eCameras
                                + " cameras, parallelism "
                                + ctx.parallelism
                                + ": median (min–max) of "
                                + rounds.size()
                                + " interleaved rounds, each after the same warm-up",
                        "",
                        "limit f/s",
                        "FrameFlow f/s",
                        "efficiency",
                        "CPU ms / frame limit → FrameFlow",
                        "FrameFlow p50 / p95 / p99 ms at 50 %",
                        "FrameFlow p99 ms at 90 %",
                        "baseline f/s",
                        "FrameFlow ÷ baseline",
                        "baseline p99 ms at 50 % / 90 %");
        int i = 1;
        for (Round r : rounds) {
            t.row(
                    "round " + i++,
                    Table.f1(r.limitFps()),
                    Table.f1(r.frameflow().drainFps()),
                    Table.f2(r.efficiency()),
                    Table.f1(r.limitCpuMs()) + " → " + Table.f1(r.frameflow().cpuMsPerFrame()),
                    Cells.phaseCells(r.frameflow().phase(0)),
                    p99(r.frameflow(), 1),
                    Table.f1(r.naive().drainFps()),
                    Table.f2(r.overBaseline()),
                    p99(r.naive(), 0) + " / " + p99(r.naive(), 1));
        }
        t.row(
                "**median (min–max)**",
                spread(rounds, Round::limitFps, 1),
                spread(rounds, x -> x.frameflow().drainFps(), 1),
                "**" + spread(rounds, Round::efficiency, 2) + "**",
                spread(rounds, Round::limitCpuMs, 1)
                        + " → "
                        + spread(rounds, x -> x.frameflow().cpuMsPerFrame(), 1),
                spread(rounds, x -> latency(x.frameflow(), 0, 50), 0)
                        + " / "
                        + spread(rounds, x -> latency(x.frameflow(), 0, 95), 0)
                        + " / "
                        + spread(rounds, x -> latency(x.frameflow(), 0, 99), 0),
                spread(rounds, x -> latency(x.frameflow(), 1, 99), 0),
                spread(rounds, x -> x.naive().drainFps(), 1),
                "**" + spread(rounds, Round::overBaseline, 2) + "**",
                spread(rounds, x -> latency(x.naive(), 0, 99), 0)
                        + " / "
                        + spread(rounds, x -> latency(x.naive(), 1, 99), 0));
        t.print();
    }

    /**
     * CPU ms per frame by thread group, this round, largest first: where the time outside ORT goes.
     */
    private static void printCpuSplit(
            String model, int round, EndToEnd.Result ff, EndToEnd.Result naive) {
        Table t =
                new Table(
                        "CPU ms per frame by thread group, "
                                + Cells.name(model)
                                + ", round "
                                + round,
                        "group",
                        "FrameFlow",
                        "baseline");
        Map<String, Double> groups = new TreeMap<>(ff.cpuByGroup());
        naive.cpuByGroup().forEach((g, v) -> groups.putIfAbsent(g, 0.0));
        Map<String, Double> sorted = new LinkedHashMap<>();
        groups.entrySet().stream()
                .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        for (String g : sorted.keySet()) {
            t.row(
                    g,
                    Table.f2(ff.cpuByGroup().getOrDefault(g, 0.0)),
                    Table.f2(naive.cpuByGroup().getOrDefault(g, 0.0)));
        }
        t.row("**all**", Table.f2(ff.cpuMsPerFrame()), Table.f2(naive.cpuMsPerFrame()));
        t.print();
    }

    private static double latency(EndToEnd.Result r, int phase, int percentile) {
        EndToEnd.Phase p = r.phase(phase);
        if (p == null || p.latency().count() == 0) {
            return Double.NaN;
        }
        return switch (percentile) {
            case 50 -> p.latency().p50();
            case 95 -> p.latency().p95();
            default -> p.latency().p99();
        };
    }

    private static String p99(EndToEnd.Result r, int phase) {
        double v = latency(r, phase, 99);
        return Double.isNaN(v) ? "–" : Table.f0(v);
    }

    private static String spread(List<Round> rounds, ToDoubleFunction<Round> f, int decimals) {
        List<Double> xs = new ArrayList<>();
        for (Round r : rounds) {
            double v = f.applyAsDouble(r);
            if (!Double.isNaN(v)) {
                xs.add(v);
            }
        }
        return Spread.of(xs, decimals);
    }

    private static Round median(List<Round> rounds, ToDoubleFunction<Round> f) {
        List<Round> sorted = new ArrayList<>(rounds);
        sorted.sort((a, b) -> Double.compare(f.applyAsDouble(a), f.applyAsDouble(b)));
        return sorted.get(sorted.size() / 2);
    }
}
