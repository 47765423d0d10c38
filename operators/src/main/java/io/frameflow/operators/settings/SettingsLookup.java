package io.frameflow.operators.settings;

import io.frameflow.records.settings.CameraSettings;
import io.frameflow.records.settings.CameraSettingsJson;
import io.frameflow.records.settings.SettingsResolver;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;

/**
 * A camera's settings in effect, read in any operator that has the settings broadcast state ({@link
 * SettingsBroadcast#STATE}): the {@code *} defaults merged with its own document ({@link
 * SettingsResolver#resolve}), each taken from the settings topic's broadcast state, else from
 * {@code --camera-config}. Keeps what each document parsed to, so a frame parses no JSON.
 */
public final class SettingsLookup {

    /** A document and what it parsed to. */
    private record Parsed(byte[] bytes, CameraSettings settings) {}

    private final Map<String, byte[]> fromFile;
    private final CameraSettingsJson json = new CameraSettingsJson();
    private final Map<String, Parsed> parsed = new HashMap<>();

    /**
     * @param fromFile {@code --camera-config}'s documents by key, canonical JSON
     */
    public SettingsLookup(Map<String, byte[]> fromFile) {
        this.fromFile = fromFile;
    }

    /** The settings of {@code camera}. */
    public CameraSettings of(ReadOnlyBroadcastState<String, byte[]> topic, String camera)
            throws Exception {
        return SettingsResolver.resolve(
                document(topic, SettingsResolver.DEFAULTS_KEY), document(topic, camera));
    }

    /** The document under {@code key}: the topic's, else {@code --camera-config}'s, else none. */
    private CameraSettings document(ReadOnlyBroadcastState<String, byte[]> topic, String key)
            throws Exception {
        byte[] bytes = topic.get(key);
        if (bytes == null) {
            bytes = fromFile.get(key);
        }
        if (bytes == null) {
            return null;
        }
        Parsed p = parsed.get(key);
        if (p == null || !Arrays.equals(p.bytes(), bytes)) {
            p = new Parsed(bytes, json.parse(bytes)); // canonical JSON this job wrote: parses
            parsed.put(key, p);
        }
        return p.settings();
    }
}
