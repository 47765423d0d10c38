package io.frameflow.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Every frame of a clip under {@code media/video/}, as JPEGs decoded by the system's ffmpeg (the
 * job's modules have no video decoder; OpenCV here is built without video I/O), for tests that
 * track or count objects over time. The JPEGs under {@code media/frames/} are only every 3rd to
 * 50th frame: too sparse to track.
 */
public final class ClipFrames {

    private ClipFrames() {}

    /** Skips the test (fails it under CI=true) when ffmpeg is missing. */
    public static void requireFfmpeg() {
        boolean present;
        try {
            Process p =
                    new ProcessBuilder("ffmpeg", "-hide_banner", "-version")
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
            present = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            present = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            present = false;
        }
        RequiredTool.require(
                present,
                "ffmpeg not on PATH: install it (scripts/install-test-deps.sh does) to decode the"
                        + " clips the tracker is tested on");
    }

    /**
     * Decodes {@code media/video/<file>} into {@code dir} and returns the frames in order, every
     * {@code step}-th frame (1 = all).
     */
    public static List<byte[]> decode(String file, Path dir, int step) {
        Path video = SharedResources.media("video/" + file);
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                "ffmpeg",
                                "-hide_banner",
                                "-loglevel",
                                "error",
                                "-i",
                                video.toString()));
        if (step > 1) {
            cmd.addAll(List.of("-vf", "select=not(mod(n\\," + step + "))"));
        }
        cmd.addAll(
                List.of(
                        "-fps_mode",
                        "passthrough",
                        "-q:v",
                        "2",
                        dir.resolve("f%05d.jpg").toString()));
        try {
            Process p =
                    new ProcessBuilder(cmd)
                            .redirectErrorStream(true)
                            .redirectOutput(dir.resolve("ffmpeg.log").toFile())
                            .start();
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(
                        "ffmpeg could not decode "
                                + video
                                + ": "
                                + Files.readString(dir.resolve("ffmpeg.log")));
            }
            List<byte[]> frames = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(x -> x.toString().endsWith(".jpg")).sorted().toList()) {
                    frames.add(Files.readAllBytes(f));
                }
            }
            return frames;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
