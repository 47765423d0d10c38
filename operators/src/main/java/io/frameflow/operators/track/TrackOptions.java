package io.frameflow.operators.track;

import io.frameflow.operators.config.OptionGroup;
import io.frameflow.operators.config.Problems;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/** Per-camera object tracking ({@link TrackFunction}, {@link ByteTracker}). */
public final class TrackOptions implements OptionGroup {

    public static final TrackOptions GROUP = new TrackOptions();

    public static final ConfigOption<Boolean> TRACKING =
            ConfigOptions.key("tracking")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Track objects per camera (ByteTrack-style, docs/tracker.md): each"
                                    + " detection on a confirmed track gets a \"trackId\" that"
                                    + " stays with the object across frames, failovers and"
                                    + " rescales.");
    public static final ConfigOption<String> TRACKER =
            ConfigOptions.key("tracker")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Tracker parameters replacing the defaults, as name=value pairs"
                                    + " separated by commas, e.g. \"minHits=3,trackBufferMs=2000\""
                                    + " (names and defaults: docs/tracker.md).");

    private TrackOptions() {}

    @Override
    public String title() {
        return "Tracking";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return List.of(TRACKING, TRACKER);
    }

    @Override
    public void validate(ReadableConfig config, Problems problems) {
        try {
            settings(config);
        } catch (IllegalArgumentException e) {
            problems.add("--tracker: " + e.getMessage());
        }
    }

    /** The tracker settings: the defaults with {@code --tracker}'s pairs applied. */
    public static TrackerSettings settings(ReadableConfig config) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String pair : config.get(TRACKER).split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(
                        "expected name=value pairs separated by commas, got '" + pair.trim() + "'");
            }
            pairs.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return TrackerSettings.DEFAULTS.withOverrides(pairs);
    }
}
