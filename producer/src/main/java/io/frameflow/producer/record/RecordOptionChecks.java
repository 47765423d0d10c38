package io.frameflow.producer.record;

import io.frameflow.producer.OptionChecks;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The checks of {@code record}'s options that picocli does not do itself: {@code --codec} (and
 * whether this FFmpeg has it), {@code --from} and the name of {@code --detections-out}.
 */
final class RecordOptionChecks extends OptionChecks {

    RecordOptionChecks(CommandSpec command) {
        super(command);
    }

    /** {@code --codec}: auto, h264 (when this FFmpeg build has libopenh264) or mpeg4. */
    VideoCodec codec(String codec) {
        switch (codec.toLowerCase(Locale.ROOT)) {
            case "auto":
                return VideoCodec.best();
            case "h264":
                require(
                        VideoCodec.H264.available(),
                        "This FFmpeg build has no libopenh264 encoder; use --codec mpeg4 or auto");
                return VideoCodec.H264;
            case "mpeg4":
                return VideoCodec.MPEG4;
            default:
                throw bad("--codec must be auto, h264 or mpeg4");
        }
    }

    /** {@code --detections-out} must say its format: .csv or .json. */
    void detectionsOut(Path file) {
        if (file != null) {
            try {
                DetectionsWriter.validateName(file);
            } catch (IllegalArgumentException e) {
                throw bad(e.getMessage());
            }
        }
    }

    /** {@code --from} as epoch ms, or null for earliest and latest. */
    Long fromMillis(String from) {
        String f = from.trim();
        if (f.equalsIgnoreCase("earliest") || f.equalsIgnoreCase("latest")) {
            return null;
        }
        if (f.matches("\\d+")) {
            return Long.parseLong(f);
        }
        try {
            return Instant.parse(f).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw bad(
                    "--from must be earliest, latest, an ISO-8601 instant (2026-01-31T12:00:00Z) or epoch ms, got "
                            + from);
        }
    }
}
