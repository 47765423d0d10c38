package io.frameflow.operators.inference;

import io.frameflow.records.Frame;
import io.frameflow.testkit.SharedResources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Real frames from ../shared/media as {@link Frame}s. */
final class TestFrames {

    private TestFrames() {}

    static byte[] read(String mediaPath) {
        try {
            return Files.readAllBytes(SharedResources.media(mediaPath));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Frame frame(String camera, long seq, byte[] image) {
        return new Frame(camera, seq, 1_000L + seq, Frame.JPEG, image, "frames.raw", 0, seq);
    }

    /** The JPEG frames of one clip folder under media/frames, sorted by name. */
    static List<byte[]> clip(String folder) {
        try (Stream<Path> files = Files.list(SharedResources.media("frames/" + folder))) {
            List<byte[]> out = new ArrayList<>();
            for (Path p : files.filter(f -> f.toString().endsWith(".jpg")).sorted().toList()) {
                out.add(Files.readAllBytes(p));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String model(String file) {
        return SharedResources.model(file).toString();
    }
}
