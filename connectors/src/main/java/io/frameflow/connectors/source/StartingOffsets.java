package io.frameflow.connectors.source;

import java.io.Serializable;
import java.util.Locale;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Where a fresh job starts reading (a restored job resumes from its checkpoint): {@code earliest},
 * {@code latest}, {@code committed} (the group's committed offsets, else earliest) or {@code
 * timestamp:<ms since epoch>}.
 */
public record StartingOffsets(Kind kind, long timestampMs) implements Serializable {

    public enum Kind {
        EARLIEST,
        LATEST,
        COMMITTED,
        TIMESTAMP
    }

    public static StartingOffsets earliest() {
        return new StartingOffsets(Kind.EARLIEST, -1);
    }

    public static StartingOffsets latest() {
        return new StartingOffsets(Kind.LATEST, -1);
    }

    public static StartingOffsets committed() {
        return new StartingOffsets(Kind.COMMITTED, -1);
    }

    public static StartingOffsets timestamp(long timestampMs) {
        if (timestampMs < 0) {
            throw new IllegalArgumentException(
                    "starting timestamp must be >= 0 ms since epoch, got " + timestampMs);
        }
        return new StartingOffsets(Kind.TIMESTAMP, timestampMs);
    }

    /** Parses {@code earliest}, {@code latest}, {@code committed} or {@code timestamp:<ms>}. */
    public static StartingOffsets parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("timestamp:")) {
            String ms = t.substring("timestamp:".length()).trim();
            try {
                return timestamp(Long.parseLong(ms));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "starting offsets 'timestamp:" + ms + "': not a number of ms since epoch");
            }
        }
        return switch (t) {
            case "earliest" -> earliest();
            case "latest" -> latest();
            case "committed" -> committed();
            default ->
                    throw new IllegalArgumentException(
                            "starting offsets '"
                                    + text
                                    + "': use earliest, latest, committed or timestamp:<ms>");
        };
    }

    OffsetsInitializer toInitializer() {
        return switch (kind) {
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
            case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            case TIMESTAMP -> OffsetsInitializer.timestamp(timestampMs);
        };
    }

    @Override
    public String toString() {
        return kind == Kind.TIMESTAMP
                ? "timestamp:" + timestampMs
                : kind.name().toLowerCase(Locale.ROOT);
    }
}
