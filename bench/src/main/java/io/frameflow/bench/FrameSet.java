package io.frameflow.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * JPEG frames held in memory: one sub-folder per camera under {@code root}, interleaved across
 * cameras (seq 0 of every camera, then seq 1, ...) as live cameras would publish them.
 *
 * @param label how the tables name the set ({@code 480p}, {@code 1080p})
 * @param clip the consecutive frames of one video: each camera plays them in order ({@link
 *     Publisher}), so the frames a camera sends are as far apart as a real camera's
 */
public record FrameSet(String label, List<BenchFrame> frames, boolean clip) {

    public FrameSet(String label, List<BenchFrame> frames) {
        this(label, frames, false);
    }

    /** A video's frames, in order, as a clip. */
    public static FrameSet clip(String label, List<byte[]> jpegs) {
        List<BenchFrame> out = new ArrayList<>();
        for (int i = 0; i < jpegs.size(); i++) {
            out.add(new BenchFrame(label, i, jpegs.get(i)));
        }
        return new FrameSet(label, List.copyOf(out), true);
    }

    /** One frame: its source camera and its bytes. */
    public record BenchFrame(String camera, long seq, byte[] jpeg) {}

    public static FrameSet load(String label, Path root) {
        List<BenchFrame> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                List<Path> files;
                try (Stream<Path> s = Files.list(dir)) {
                    files = s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
                }
                long seq = 0;
                for (Path f : files) {
                    out.add(
                            new BenchFrame(
                                    dir.getFileName().toString(), seq++, Files.readAllBytes(f)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read frames under " + root, e);
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("No <camera>/*.jpg frames under " + root);
        }
        out.sort(Comparator.comparingLong(BenchFrame::seq).thenComparing(BenchFrame::camera));
        return new FrameSet(label, List.copyOf(out));
    }

    public int size() {
        return frames.size();
    }

    public BenchFrame get(long i) {
        return frames.get((int) (i % frames.size()));
    }

    public double meanBytes() {
        return frames.stream().mapToInt(f -> f.jpeg().length).average().orElse(0);
    }
}
