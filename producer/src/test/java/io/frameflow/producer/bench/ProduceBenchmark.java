package io.frameflow.producer.bench;

import io.frameflow.producer.FrameFlowCli;
import io.frameflow.producer.produce.FfmpegFrameSource;
import io.frameflow.producer.produce.GrabbedFrame;
import io.frameflow.producer.produce.JpegEncoder;
import io.frameflow.producer.produce.SourceSpec;
import io.frameflow.testkit.EmbeddedKafkaBroker;
import io.frameflow.testkit.SharedResources;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Frames/s of the producer's stages on this machine, side by side in one run, at 480p and 1080p:
 * decode only, decode + JPEG encode, and decode + encode + publish to a real (embedded) Kafka
 * broker with acks=all (the full {@code produce --as-fast-as-possible} command).
 *
 * <p>Run: {@code mvn -B -o -q -pl producer -am test-compile exec:java -Dexec.skip=true} (the
 * producer's pom un-skips it for this module only). The test videos are made from the shared
 * one-by-one clip with the system's ffmpeg into target/bench.
 */
public final class ProduceBenchmark {

    private static final int FRAMES = 300;
    private static final int QUALITY = 85;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(System.getProperty("bench.dir", "target/bench"));
        Files.createDirectories(dir);
        Path source = SharedResources.media("video/one-by-one-person-detection.mp4");
        Path p480 = generate(source, dir.resolve("bench-480p.mp4"), 854, 480);
        Path p1080 = generate(source, dir.resolve("bench-1080p.mp4"), 1920, 1080);

        List<String> rows = new ArrayList<>();
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(Map.of())) {
            kafka.createTopics(1, "bench");
            for (Path video : List.of(p480, p1080)) {
                String name =
                        video.getFileName().toString().replace("bench-", "").replace(".mp4", "");
                decodeOnly(video); // warm-up: load natives, fill caches
                double decode = decodeOnly(video);
                double[] encode = decodeAndEncode(video);
                double publish = publish(kafka, video);
                rows.add(
                        String.format(
                                Locale.ROOT,
                                "| %-5s | %9.1f | %15.1f | %23.1f | %9.1f |",
                                name,
                                decode,
                                encode[0],
                                publish,
                                encode[1] / 1024));
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%nProducer benchmark: %d frames per run, JPEG quality %d, %d CPUs, load average %.2f, Java %s%n",
                FRAMES,
                QUALITY,
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                System.getProperty("java.version"));
        System.out.println(
                "| video | decode fps | decode+JPEG fps | decode+JPEG+publish fps | JPEG KiB |");
        System.out.println(
                "|-------|-----------:|----------------:|------------------------:|---------:|");
        rows.forEach(System.out::println);
    }

    private static Path generate(Path source, Path out, int w, int h) throws Exception {
        if (Files.exists(out)) {
            return out;
        }
        // the real 768x432 clip, scaled: keeps real-footage entropy (noise, motion) in the JPEGs
        Process p =
                new ProcessBuilder(
                                "ffmpeg",
                                "-y",
                                "-v",
                                "error",
                                "-i",
                                source.toString(),
                                "-vf",
                                "scale=" + w + ":" + h,
                                "-frames:v",
                                String.valueOf(FRAMES),
                                "-c:v",
                                "libx264",
                                "-preset",
                                "veryfast",
                                "-crf",
                                "23",
                                "-pix_fmt",
                                "yuv420p",
                                "-an",
                                out.toString())
                        .inheritIO()
                        .start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("ffmpeg could not make " + out);
        }
        return out;
    }

    private static double decodeOnly(Path video) throws Exception {
        FfmpegFrameSource src =
                new FfmpegFrameSource(SourceSpec.parse(video.toString()), Map.of(), 10_000);
        src.open();
        long t0 = System.nanoTime();
        int n = 0;
        while (src.next() != null) {
            n++;
        }
        double fps = n / ((System.nanoTime() - t0) / 1e9);
        src.close();
        return fps;
    }

    /** {frames/s, mean JPEG bytes}. */
    private static double[] decodeAndEncode(Path video) throws Exception {
        FfmpegFrameSource src =
                new FfmpegFrameSource(SourceSpec.parse(video.toString()), Map.of(), 10_000);
        src.open();
        long bytes = 0;
        int n = 0;
        try (JpegEncoder enc = new JpegEncoder(QUALITY, 0, 0, 0)) {
            long t0 = System.nanoTime();
            GrabbedFrame f;
            while ((f = src.next()) != null) {
                bytes += enc.encode(f.image()).length;
                n++;
            }
            double fps = n / ((System.nanoTime() - t0) / 1e9);
            return new double[] {fps, (double) bytes / n};
        } finally {
            src.close();
        }
    }

    private static double publish(EmbeddedKafkaBroker kafka, Path video) {
        long t0 = System.nanoTime();
        int exit =
                FrameFlowCli.run(
                        "produce",
                        "-b",
                        kafka.bootstrapServers(),
                        "-t",
                        "bench",
                        "--source",
                        "bench=" + video,
                        "--as-fast-as-possible",
                        "--quality",
                        String.valueOf(QUALITY),
                        "--progress",
                        "off");
        double secs = (System.nanoTime() - t0) / 1e9;
        if (exit != 0) {
            throw new IllegalStateException("produce exited with " + exit);
        }
        return FRAMES / secs; // includes flush: every frame acknowledged by the broker
    }
}
