package io.frameflow.producer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Asks the system's ffprobe (installed by scripts/install-test-deps.sh) about a video. */
public final class MediaProbe {

    private MediaProbe() {}

    /** Decoded video frames, counted by ffprobe. */
    public static int countFrames(Path video) throws IOException, InterruptedException {
        String out = ffprobe(video, "-count_frames", "-show_entries", "stream=nb_read_frames");
        return Integer.parseInt(out.trim());
    }

    /** {width, height} of the first video stream. */
    public static int[] size(Path video) throws IOException, InterruptedException {
        String[] wh =
                ffprobe(video, "-show_entries", "stream=width,height").trim().split("[,\\s]+");
        return new int[] {Integer.parseInt(wh[0]), Integer.parseInt(wh[1])};
    }

    /** The first video stream's codec name, e.g. h264 or mpeg4. */
    public static String codec(Path video) throws IOException, InterruptedException {
        return ffprobe(video, "-show_entries", "stream=codec_name").trim();
    }

    /** The first video stream's average frame rate, e.g. 15/1. */
    public static String frameRate(Path video) throws IOException, InterruptedException {
        return ffprobe(video, "-show_entries", "stream=avg_frame_rate").trim();
    }

    private static String ffprobe(Path video, String... args)
            throws IOException, InterruptedException {
        List<String> cmd =
                new java.util.ArrayList<>(
                        List.of("ffprobe", "-v", "error", "-select_streams", "v:0"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-of", "csv=p=0", video.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("ffprobe failed on " + video + ": " + out);
        }
        return out;
    }
}
