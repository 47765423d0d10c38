package io.frameflow.bench;

import io.frameflow.testkit.SharedResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Scenario {@code tail} (issue 19): where FrameFlow's p99 at 90 % load comes from. FrameFlow end to
 * end (the first model and resolution, {@code -Dbench.e2eCameras} cameras) runs with checkpoints
 * every 10 s (as every other scenario) and every 3 min (none in the phase: a run lasts about a
 * minute), the two interleaved for {@code -Dbench.repeats} rounds after the usual warm-up. Each run
 * measures its drain rate, then paces frames at 90 % of it for {@code -Dbench.tailSeconds} (default
 * 40); for that phase it takes every frame's capture and arrival time, the checkpoints' windows
 * (trigger to last acknowledgement, Flink's REST history) and the JVM's stop-the-world GC pauses
 * (the job, the broker and the bench share the JVM), and says how often the slowest 1 % of the
 * frames overlap each kind of window against how often frames do at all ({@link TailAttribution}).
 * Median (min–max) of the rounds.
 */
final class TailLatencyScenario {

    /** How long after a checkpoint completes its commit is taken to last, for the attribution. */
    static final long COMMIT_MS = 1000;

    private final BenchContext ctx;
    private final double seconds =
            Double.parseDouble(System.getProperty("bench.tailSeconds", "40"));

    TailLatencyScenario(BenchContext ctx) {
        this.ctx = ctx;
    }

    /** One run's phase. */
    private record Run(
            double rate,
            TailAttribution checkpoints,
            TailAttribution commits,
            TailAttribution gc,
            double gcPauseMs,
            List<StallEpisodes.Stall> stalls) {}

    void run() throws Exception {
        int repeats = Integer.getInteger("bench.repeats", 3);
        double warmUp = Double.parseDouble(System.getProperty("bench.compareWarmUpSeconds", "60"));
        String model = ctx.models.get(0);
        String res = ctx.resolutions.get(0);
        String k = Cells.key(model, res);
        List<LimitBench.Variant> limit =
                LimitBench.run(
                        SharedResources.model(model), ctx.frameSets.get(res), ctx.limitSeconds);
        ctx.limits.put(k, limit.stream().mapToDouble(LimitBench.Variant::fps).max().orElseThrow());
        ctx.warmUp("FrameFlow " + model, warmUp, topics -> start(model, topics, "10 s"));

        Map<String, List<Run>> runs = new LinkedHashMap<>();
        try (GcPauses gcs = new GcPauses()) {
            for (int round = 1; round <= repeats; round++) {
                for (String interval : List.of("10 s", "3 min")) {
                    Run r = once(model, k, interval, gcs);
                    runs.computeIfAbsent(interval, x -> new ArrayList<>()).add(r);
                    System.out.printf(
                            "tail round %d, checkpoints every %s: %.0f f/s, p50/p95/p99 %s ms;"
                                    + " p99 overlapping a checkpoint %.0f, others %.0f; slowest 1%%"
                                    + " overlapping a checkpoint %.0f%% (all frames %.0f%%), a GC"
                                    + " pause %.0f%% (all %.0f%%), GC paused %.0f ms%n",
                            round,
                            interval,
                            r.rate(),
                            r.checkpoints().all().cells().replace(" | ", " / "),
                            r.checkpoints().p99Overlapping(),
                            r.checkpoints().p99Others(),
                            100 * r.checkpoints().slowShareOverlapping(),
                            100 * r.checkpoints().shareOverlapping(),
                            100 * r.gc().slowShareOverlapping(),
                            100 * r.gc().shareOverlapping(),
                            r.gcPauseMs());
                    System.out.printf(
                            "  commits (1 s from completion): slowest 1%% overlapping %.0f%% (all"
                                    + " frames %.0f%%)%n",
                            100 * r.commits().slowShareOverlapping(),
                            100 * r.commits().shareOverlapping());
                    for (StallEpisodes.Stall st : r.stalls()) {
                        System.out.printf(
                                "  stall: %d slow frames, worst %d ms; near its start: %s%n",
                                st.frames(), st.maxLatencyMs(), String.join(", ", st.near()));
                    }
                }
            }
        }
        print(model, res, repeats, runs);
    }

    private Run once(String model, String k, String interval, GcPauses gcs) throws Exception {
        int preload = ctx.preload(k);
        Topics topics = Topics.create(ctx.broker, EndToEnd.PARTITIONS);
        String bootstrap = ctx.broker.bootstrapServers();
        try (OutputMeter meter = new OutputMeter(bootstrap, topics.annotated());
                Publisher publisher =
                        new Publisher(
                                bootstrap,
                                topics.in(),
                                ctx.frameSets.get(ctx.resolutions.get(0)),
                                ctx.e2eCameras)) {
            publisher.preload(preload);
            try (FlinkSystem sut = start(model, topics, interval)) {
                Duration wait = Duration.ofSeconds(90 + preload / 4);
                meter.await(preload / 4, wait, sut::alive);
                meter.await(preload, wait, sut::alive);
                double rate = 0.9 * meter.rate(preload / 4, preload);
                long t0 = System.currentTimeMillis();
                int sent = publisher.paced(rate, seconds);
                long t1 = System.currentTimeMillis();
                meter.await(preload + sent, Duration.ofSeconds(60), sut::alive);
                // the first second of a phase is a transient: left out, as in every scenario
                List<long[]> frames = meter.records(t0 + 1000, t1 + 1);
                long end = System.currentTimeMillis();
                List<long[]> checkpoints = new ArrayList<>();
                List<long[]> commits = new ArrayList<>();
                List<StallEpisodes.Event> events = new ArrayList<>();
                for (FlinkSystem.Checkpoint c : sut.checkpoints()) {
                    long last = c.lastAck() > 0 ? c.lastAck() : end;
                    if (last < t0 || c.trigger() > end) {
                        continue;
                    }
                    checkpoints.add(new long[] {c.trigger(), last});
                    events.add(new StallEpisodes.Event(c.trigger(), "checkpoint " + c.id()));
                    events.add(new StallEpisodes.Event(last, "last ack " + c.id()));
                    if (c.completed() > 0) {
                        // the sinks commit their Kafka transactions once told it completed
                        commits.add(new long[] {c.completed(), c.completed() + COMMIT_MS});
                        events.add(new StallEpisodes.Event(c.completed(), "completed " + c.id()));
                    }
                }
                List<long[]> pauses = gcs.pauses(t0, end);
                for (long[] p : pauses) {
                    events.add(new StallEpisodes.Event(p[0], "GC " + (p[1] - p[0]) + " ms"));
                }
                double pausedMs = pauses.stream().mapToLong(p -> p[1] - p[0]).sum();
                TailAttribution byCheckpoint = TailAttribution.of(frames, checkpoints);
                return new Run(
                        rate,
                        byCheckpoint,
                        TailAttribution.of(frames, commits),
                        TailAttribution.of(frames, pauses),
                        pausedMs,
                        StallEpisodes.of(frames, (long) byCheckpoint.all().p99(), events, 3));
            }
        }
    }

    private FlinkSystem start(String model, Topics topics, String interval) throws Exception {
        return FlinkSystem.start(
                ctx.broker.bootstrapServers(),
                topics,
                SharedResources.model(model),
                ctx.parallelism,
                interval);
    }

    private void print(String model, String res, int repeats, Map<String, List<Run>> runs) {
        Table t =
                new Table(
                        "Where the p99 at 90 % load comes from: "
                                + Cells.name(model)
                                + " "
                                + res
                                + ", "
                                + ctx.e2eCameras
                                + " cameras, "
                                + Table.f0(seconds)
                                + " s paced at 90 % of each run's drain rate; median (min–max)"
                                + " of "
                                + repeats
                                + " interleaved rounds",
                        "checkpoints every",
                        "paced f/s",
                        "p50 / p95 ms",
                        "p99 ms",
                        "checkpoints in the phase (mean ms)",
                        "p99 ms: frames overlapping a checkpoint / the others",
                        "slowest 1 % overlapping a checkpoint (all frames)",
                        "slowest 1 % within 1 s of a completion, the commit (all frames)",
                        "GC paused ms (pauses)",
                        "slowest 1 % overlapping a GC pause (all frames)");
        runs.forEach(
                (interval, rs) ->
                        t.row(
                                interval,
                                col(rs, Run::rate, 0),
                                col(rs, r -> r.checkpoints().all().p50(), 0)
                                        + " / "
                                        + col(rs, r -> r.checkpoints().all().p95(), 0),
                                col(rs, r -> r.checkpoints().all().p99(), 0),
                                col(rs, r -> (double) r.checkpoints().windows(), 0)
                                        + " ("
                                        + col(rs, r -> r.checkpoints().windowMs(), 0)
                                        + ")",
                                col(rs, r -> r.checkpoints().p99Overlapping(), 0)
                                        + " / "
                                        + col(rs, r -> r.checkpoints().p99Others(), 0),
                                col(rs, r -> 100 * r.checkpoints().slowShareOverlapping(), 0)
                                        + " % ("
                                        + col(rs, r -> 100 * r.checkpoints().shareOverlapping(), 0)
                                        + " %)",
                                col(rs, r -> 100 * r.commits().slowShareOverlapping(), 0)
                                        + " % ("
                                        + col(rs, r -> 100 * r.commits().shareOverlapping(), 0)
                                        + " %)",
                                col(rs, Run::gcPauseMs, 0)
                                        + " ("
                                        + col(rs, r -> (double) r.gc().windows(), 0)
                                        + ")",
                                col(rs, r -> 100 * r.gc().slowShareOverlapping(), 0)
                                        + " % ("
                                        + col(rs, r -> 100 * r.gc().shareOverlapping(), 0)
                                        + " %)"));
        t.print();
    }

    private static String col(List<Run> rs, Function<Run, Double> f, int decimals) {
        List<Double> xs = new ArrayList<>();
        for (Run r : rs) {
            double v = f.apply(r);
            if (!Double.isNaN(v)) {
                xs.add(v);
            }
        }
        return Spread.of(xs, decimals);
    }
}
