package io.frameflow.bench;

import io.frameflow.testkit.EmbeddedKafkaBroker;
import io.frameflow.testkit.SharedResources;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One benchmark run: its knobs (system properties {@code -Dbench.*}, listed in {@code
 * bench/run.sh}), the frames, the broker, and the figures a scenario leaves for the later ones
 * (limits, FrameFlow and baseline results).
 */
final class BenchContext {

    final List<String> models = list("bench.models", "yolox_nano.onnx,FastestDet.onnx");
    final List<String> resolutions = list("bench.res", "480p,1080p");
    final double limitSeconds = num("bench.seconds", 8);
    final double drainSeconds = num("bench.drainSeconds", 12);

    /** At most this many frames are preloaded per run (fast models would drain longer). */
    final int maxPreload = (int) num("bench.maxPreload", 3000);

    final double pacedSeconds = num("bench.pacedSeconds", 12);
    final int cores = Runtime.getRuntime().availableProcessors();
    final int parallelism = (int) num("bench.parallelism", cores);

    /**
     * ORT intra-op threads of the naive baseline; the first is the reference (charts, CPU table),
     * e.g. {@code 2,1} adds the single-threaded consumer the issue quotes (~46 f/s).
     */
    final List<Integer> baselineThreads =
            list("bench.baselineThreads", String.valueOf(cores)).stream()
                    .map(Integer::parseInt)
                    .toList();

    final List<Integer> cameras =
            list("bench.cameras", "1,4,16,64").stream().map(Integer::parseInt).toList();
    final List<Integer> scalingParallelism =
            list("bench.scalingParallelism", "1," + cores).stream()
                    .map(Integer::parseInt)
                    .distinct()
                    .toList();
    final String scalingModel = System.getProperty("bench.scalingModel", models.get(0));
    final String scalingRes = System.getProperty("bench.scalingRes", resolutions.get(0));

    /** Cameras in scenarios 2 and 3: 0 = the 6 source cameras of the media (skewed: see docs). */
    final int e2eCameras = (int) num("bench.e2eCameras", 16);

    /** Adds a FrameFlow row for the first configuration on the 6 source cameras. */
    final boolean sourceCamerasRow =
            Boolean.parseBoolean(System.getProperty("bench.sourceCamerasRow", "true"));

    final int warmUpFrames = (int) num("bench.warmUpFrames", 2000);

    /** FrameFlow's warm-up repeats runs of {@code warmUpFrames} until this much time has passed. */
    final double warmUpSeconds = num("bench.warmUpSeconds", 180);

    final Path charts = Path.of(System.getProperty("bench.charts", "docs/bench"));

    final Map<String, FrameSet> frameSets = new LinkedHashMap<>();
    final Map<String, Double> limits = new LinkedHashMap<>();
    final Map<String, EndToEnd.Result> flink = new LinkedHashMap<>();
    final Map<String, EndToEnd.Result> naive = new LinkedHashMap<>();
    final Map<String, EndToEnd.Result> extraNaive = new LinkedHashMap<>();
    EmbeddedKafkaBroker broker;

    /** Extra Flink settings for one what-if FrameFlow run of the first configuration. */
    final String whatIf = System.getProperty("bench.whatIf", "");

    EndToEnd.Result whatIfResult;

    /**
     * Throw-away runs of the system first, repeated until {@code seconds} have passed: in this JVM
     * (broker, MiniCluster, clients and the bench together) the C2 compiler keeps compiling for
     * minutes after start (docs/benchmarks.md: a FastestDet job's drain rate rises 115 → 121 → 136
     * → 171 f/s over its first four runs while the JIT's share falls). A long-running job pays that
     * once; leaving it out measures the pipeline, not the JVM's start. Each run's rate and JIT
     * share is printed so the settling shows.
     */
    void warmUp(String what, double seconds, EndToEnd.Starter starter) throws Exception {
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
    String warmUpModel() {
        return models.contains("FastestDet.onnx") ? "FastestDet.onnx" : models.get(0);
    }

    int preload(String k) {
        Double limit = limits.get(k);
        double fps = limit != null ? limit : 40;
        return (int) Math.max(300, Math.min(maxPreload, fps * drainSeconds));
    }

    FrameSet loadFrames(String res) {
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
