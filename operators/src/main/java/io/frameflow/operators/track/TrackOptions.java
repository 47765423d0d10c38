package io.frameflow.operators.track;

import io.frameflow.operators.config.OptionGroup;
import io.frameflow.operators.config.Problems;
import io.frameflow.records.settings.CameraConfigFile;
import io.frameflow.records.settings.CameraSettingsJson;
import io.frameflow.records.settings.SettingsException;
import java.io.IOException;
import java.nio.file.Path;
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

    public static final ConfigOption<String> CAMERA_CONFIG =
            ConfigOptions.key("camera-config")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "A JSON file of per-camera settings documents by camera id (and * for"
                                    + " every camera), for static deployments; a document on the"
                                    + " settings topic replaces the file's for its key"
                                    + " (docs/camera-settings.md). Checked at start-up.");

    private TrackOptions() {}

    @Override
    public String title() {
        return "Tracking and camera settings";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return List.of(TRACKING, TRACKER, CAMERA_CONFIG);
    }

    @Override
    public void validate(ReadableConfig config, Problems problems) {
        try {
            settings(config);
        } catch (IllegalArgumentException e) {
            problems.add("--tracker: " + e.getMessage());
        }
        try {
            cameraConfig(config);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
    }

    /**
     * {@code --camera-config}'s documents by key, as canonical JSON; empty without the option.
     *
     * @throws IllegalArgumentException naming the file and what is wrong in it
     */
    public static Map<String, byte[]> cameraConfig(ReadableConfig config) {
        String file = config.get(CAMERA_CONFIG);
        if (file.isBlank()) {
            return Map.of();
        }
        Map<String, byte[]> documents = new LinkedHashMap<>();
        try {
            CameraSettingsJson json = new CameraSettingsJson();
            CameraConfigFile.load(Path.of(file)).forEach((k, v) -> documents.put(k, json.write(v)));
        } catch (SettingsException | IOException e) {
            throw new IllegalArgumentException(
                    "--camera-config " + file + ": " + e.getMessage(), e);
        }
        return documents;
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
