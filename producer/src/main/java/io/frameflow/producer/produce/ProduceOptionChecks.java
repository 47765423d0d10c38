package io.frameflow.producer.produce;

import io.frameflow.producer.OptionChecks;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The checks of {@code produce}'s options that picocli does not do itself: the sources (one camera
 * id each), {@code --resize} and the ranges of the numbers.
 */
final class ProduceOptionChecks extends OptionChecks {

    ProduceOptionChecks(CommandSpec command) {
        super(command);
    }

    /** Parses every {@code --source}; two sources may not publish as the same camera. */
    List<SourceSpec> sources(List<String> sources) {
        List<SourceSpec> specs = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (String s : sources) {
            SourceSpec spec;
            try {
                spec = SourceSpec.parse(s);
            } catch (IllegalArgumentException e) {
                throw bad("--source " + s + ": " + e.getMessage());
            }
            require(
                    ids.add(spec.cameraId()),
                    "Camera id '"
                            + spec.cameraId()
                            + "' is used by two sources; name them: --source cam-a=... --source cam-b=...");
            specs.add(spec);
        }
        return specs;
    }

    /** {@code --resize WxH} as {width, height}; {0, 0} when not given. */
    int[] resize(String resize) {
        if (resize == null) {
            return new int[] {0, 0};
        }
        String[] parts = resize.toLowerCase(Locale.ROOT).split("x");
        try {
            int w = Integer.parseInt(parts[0].trim());
            int h = Integer.parseInt(parts[1].trim());
            if (parts.length != 2 || w < 2 || h < 2) {
                throw new NumberFormatException();
            }
            return new int[] {w, h};
        } catch (RuntimeException e) {
            throw bad("--resize must be WIDTHxHEIGHT, e.g. 640x360, got " + resize);
        }
    }

    /** The numbers and choices of {@code options}, each in its range. */
    void ranges(ProduceCommand options) {
        require(options.replicate >= 1, "--replicate must be at least 1");
        require(options.quality >= 1 && options.quality <= 100, "--quality must be 1..100");
        require(options.fps >= 0, "--fps must be positive");
        require(options.maxWidth >= 0, "--max-width must be positive");
        require(options.folderFps > 0, "--folder-fps must be positive");
        require(options.maxFrames >= 0, "--max-frames must be positive");
        require(
                List.of("auto", "tty", "log", "off").contains(options.progress),
                "--progress must be auto, tty, log or off");
        require(options.lingerMs >= 0, "--linger-ms must be >= 0");
        require(options.batchSize >= 0, "--batch-size must be >= 0");
    }
}
