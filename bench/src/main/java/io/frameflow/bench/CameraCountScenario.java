package io.frameflow.bench;

import io.frameflow.testkit.ClipFrames;
import io.frameflow.testkit.SharedResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scenario {@code cameras} (issues 16 and 19): how many cameras at 5 fps one machine carries with
 * the p99 latency at or under {@code -Dbench.p99Ms} (default 200), searched rather than read off a
 * drain rate. The frames are the one-by-one clip at 5 fps, every camera playing it in order from
 * its own place (so consecutive frames of a camera are 200 ms apart, as a real camera's: what
 * {@code skipUnchanged} and the tracker need). For each variant (every frame inferred; {@code
 * inferEvery} 3; {@code skipUnchanged} 0.005; all with tracking on) the count grows by half until a
 * probe fails (p99 over the limit, or frames not all out), then a bisection finds the largest count
 * that passes; the largest passing count and the smallest failing one are then probed {@code
 * -Dbench.repeats} times more (default 2), and a count holds when the median of its probes passes.
 * When the largest passing count does not hold on its repeats, the search goes on below it, from
 * the largest count that holds. Each probe is a fresh job: 200 frames drained, then {@code
 * -Dbench.probeSeconds} (default 20) paced at cameras × 5 fps, the first second left out.
 */
final class CameraCountScenario {

    private static final double FPS = 5;

    private final BenchContext ctx;
    private final double p99Ms = Double.parseDouble(System.getProperty("bench.p99Ms", "200"));
    private final double seconds =
            Double.parseDouble(System.getProperty("bench.probeSeconds", "20"));
    private final int first = Integer.getInteger("bench.firstCameras", 8);
    // -Dbench.annotatedFrames=false: every variant with --annotated-frames false (detections,
    // events and stats only), metered on the detections topic
    private final boolean annotated =
            Boolean.parseBoolean(System.getProperty("bench.annotatedFrames", "true"));
    // -Dbench.cameraVariants=2: the first two variants only
    private final int variantCount = Integer.getInteger("bench.cameraVariants", 3);

    CameraCountScenario(BenchContext ctx) {
        this.ctx = ctx;
    }

    private record Variant(String name, String settings) {}

    /** One probe: its p99 and whether every frame came out. */
    private record Probe(double p99, boolean complete) {}

    void run() throws Exception {
        String model = ctx.models.get(0);
        int repeats = Integer.getInteger("bench.repeats", 2);
        Path dir = Files.createDirectories(Path.of("bench/target/cameras"));
        FrameSet clip =
                FrameSet.clip(
                        "one-by-one 432p",
                        ClipFrames.decode(
                                "one-by-one-person-detection.mp4",
                                Files.createDirectories(dir.resolve("clip")),
                                2));
        List<Variant> variants =
                List.of(
                                new Variant("every frame inferred", "{}"),
                                // docs/camera-settings.md: 1.7 detections a second, lower IoU
                                new Variant(
                                        "inferEvery 3",
                                        "{\"inferEvery\":3,\"tracker\":{\"matchThresh\":0.9}}"),
                                new Variant("skipUnchanged 0.005", "{\"skipUnchanged\":0.005}"))
                        .subList(0, variantCount);
        // the warm-up is metered on annotated frames: it runs with them whatever the variants do
        ctx.warmUp(
                "FrameFlow (cameras)",
                ctx.warmUpSeconds,
                topics -> start(model, topics, "{}", true));
        Map<String, Map<Integer, List<Probe>>> found = new LinkedHashMap<>();
        for (Variant v : variants) {
            Map<Integer, List<Probe>> probes = new TreeMap<>();
            found.put(v.name(), probes);
            int pass = 0;
            int fail = 0;
            int n = first;
            while (fail == 0) { // grow by half until a probe fails
                if (probe(model, clip, v, n, probes)) {
                    pass = n;
                    n = n + Math.max(1, n / 2);
                } else {
                    fail = n;
                }
            }
            while (true) {
                while (fail - pass > 1) {
                    int mid = (pass + fail) / 2;
                    if (probe(model, clip, v, mid, probes)) {
                        pass = mid;
                    } else {
                        fail = mid;
                    }
                }
                for (int r = 0; r < repeats; r++) {
                    if (pass > 0) {
                        probe(model, clip, v, pass, probes);
                    }
                    probe(model, clip, v, fail, probes);
                }
                if (pass == 0 || holds(probes.get(pass))) {
                    break;
                }
                // the bound did not hold on its repeats: search again below it, from the largest
                // count that still holds, so that a count between the two is not left unprobed
                fail = pass;
                pass = largestHolding(probes, fail);
            }
        }
        print(model, clip, repeats, found);
    }

    private boolean probe(
            String model, FrameSet clip, Variant v, int cameras, Map<Integer, List<Probe>> probes)
            throws Exception {
        EndToEnd.Result r =
                EndToEnd.run(
                        ctx.broker,
                        clip,
                        cameras,
                        200,
                        List.of(d -> FPS * cameras),
                        seconds,
                        topics -> start(model, topics, v.settings(), annotated),
                        annotated ? Topics::annotated : Topics::detections);
        EndToEnd.Phase p = r.phase(0);
        Probe probe = new Probe(p.latency().p99(), p.received() == p.sent());
        probes.computeIfAbsent(cameras, k -> new ArrayList<>()).add(probe);
        boolean ok = probe.complete() && probe.p99() <= p99Ms;
        System.out.printf(
                "cameras %s, %d cameras at %.0f fps: p50/p95/p99 %s ms, %d of %d frames out: %s%n",
                v.name(),
                cameras,
                FPS,
                p.latency().cells().replace(" | ", " / "),
                p.received(),
                p.sent(),
                ok ? "holds" : "does not hold");
        return ok;
    }

    private SystemUnderTest start(
            String model, Topics topics, String settings, boolean annotatedFrames)
            throws Exception {
        Path config = Files.createTempFile("bench-cameras", ".json");
        Files.writeString(config, "{\"*\":" + settings + "}");
        return FlinkSystem.start(
                ctx.broker.bootstrapServers(),
                topics,
                SharedResources.model(model),
                ctx.parallelism,
                "10 s",
                System.getProperty("bench.flinkConf", ""),
                List.of(
                        "--camera-config",
                        config.toString(),
                        "--annotated-frames",
                        String.valueOf(annotatedFrames)));
    }

    private void print(
            String model,
            FrameSet clip,
            int repeats,
            Map<String, Map<Integer, List<Probe>>> found) {
        Table t =
                new Table(
                        "Cameras per machine at 5 fps with p99 ≤ "
                                + Table.f0(p99Ms)
                                + " ms: "
                                + Cells.name(model)
                                + ", "
                                + clip.label()
                                + " played by every camera, tracking on"
                                + (annotated ? "" : ", --annotated-frames false")
                                + ", parallelism "
                                + ctx.parallelism
                                + "; a count holds when the median p99 of its probes is within the"
                                + " limit and every frame came out ("
                                + (repeats + 1)
                                + " probes at the bound)",
                        "variant",
                        "cameras (frames / s)",
                        "× every frame inferred",
                        "p99 ms at that count: median (min–max)",
                        "one camera more: p99 ms",
                        "probes (cameras: p99 ms)");
        Integer base = null;
        for (Map.Entry<String, Map<Integer, List<Probe>>> e : found.entrySet()) {
            int holds = 0;
            for (Map.Entry<Integer, List<Probe>> c : e.getValue().entrySet()) {
                if (holds(c.getValue()) && c.getKey() > holds) {
                    holds = c.getKey();
                }
            }
            if (base == null) {
                base = holds;
            }
            List<Probe> at = e.getValue().getOrDefault(holds, List.of());
            List<Probe> above = e.getValue().getOrDefault(holds + 1, List.of());
            t.row(
                    e.getKey(),
                    holds + " (" + Table.f0(holds * FPS) + ")",
                    base == 0 ? "–" : Table.f2(holds / (double) base),
                    Spread.of(at.stream().map(Probe::p99).toList(), 0),
                    Spread.of(above.stream().map(Probe::p99).toList(), 0),
                    probesText(e.getValue()));
        }
        t.print();
        Table.note("* = not every frame came out within a minute of the phase's end");
    }

    /** {@code cameras: p99/p99, ...}, a {@code *} on a probe whose frames did not all come out. */
    private static String probesText(Map<Integer, List<Probe>> probes) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<Integer, List<Probe>> c : probes.entrySet()) {
            out.append(out.length() == 0 ? "" : ", ").append(c.getKey()).append(": ");
            for (int i = 0; i < c.getValue().size(); i++) {
                Probe p = c.getValue().get(i);
                out.append(i == 0 ? "" : "/")
                        .append(Table.f0(p.p99()))
                        .append(p.complete() ? "" : "*");
            }
        }
        return out.toString();
    }

    /** The largest count under {@code below} whose probes hold, 0 when none does. */
    private int largestHolding(Map<Integer, List<Probe>> probes, int below) {
        int largest = 0;
        for (Map.Entry<Integer, List<Probe>> c : probes.entrySet()) {
            if (c.getKey() < below && holds(c.getValue())) {
                largest = Math.max(largest, c.getKey());
            }
        }
        return largest;
    }

    /** Whether the median probe holds (p99 within the limit and every frame out). */
    private boolean holds(List<Probe> ps) {
        List<Double> p99s = new ArrayList<>();
        for (Probe p : ps) {
            p99s.add(p.complete() ? p.p99() : Double.MAX_VALUE);
        }
        return Spread.median(p99s) <= p99Ms;
    }
}
