package io.frameflow.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real JPEG frames under {@code media/frames/}: one folder per camera (the folder name is the
 * camera id), files in name order, {@code seq} = 0-based position in the folder.
 */
public final class SharedFrames {

    /** One frame file. */
    public record SharedFrame(String camera, long seq, String fileName, byte[] jpeg) {}

    private SharedFrames() {}

    /** All frames, by camera then seq. */
    public static List<SharedFrame> load() {
        Path root = SharedResources.media("frames");
        List<SharedFrame> frames = new ArrayList<>();
        try (Stream<Path> cameras = Files.list(root)) {
            for (Path dir : cameras.filter(Files::isDirectory).sorted().toList()) {
                List<Path> files;
                try (Stream<Path> s = Files.list(dir)) {
                    files =
                            s.filter(p -> p.getFileName().toString().endsWith(".jpg"))
                                    .sorted()
                                    .toList();
                }
                long seq = 0;
                for (Path f : files) {
                    frames.add(
                            new SharedFrame(
                                    dir.getFileName().toString(),
                                    seq++,
                                    f.getFileName().toString(),
                                    Files.readAllBytes(f)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read frames under " + root, e);
        }
        if (frames.isEmpty()) {
            throw new IllegalStateException("No *.jpg frames under " + root);
        }
        return frames;
    }

    /**
     * The frames interleaved across cameras (seq 0 of every camera, then seq 1, ...), the order in
     * which live cameras would publish them.
     */
    public static List<SharedFrame> interleaved(List<SharedFrame> frames) {
        List<SharedFrame> out = new ArrayList<>(frames);
        out.sort(
                java.util.Comparator.comparingLong(SharedFrame::seq)
                        .thenComparing(SharedFrame::camera));
        return out;
    }
}
