package io.frameflow.operators.settings;

import io.frameflow.records.settings.CameraSettings;
import io.frameflow.records.settings.CameraSettingsJson;
import io.frameflow.records.settings.SettingsResolver;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;

/**
 * A camera's settings in effect, read in any operator that has the settings broadcast state ({@link
 * SettingsBroadcast#STATE}): the {@code *} defaults merged with its own document ({@link
 * SettingsResolver#resolve}), each taken from the settings topic's broadcast state, else from
 * {@code --camera-config}. Keeps what each document parsed to and each camera's merge of them, so a
 * frame neither parses JSON nor merges settings: both are redone only when a document changes.
 */
public final class SettingsLookup {

    /** A document and what it parsed to. */
    private record Parsed(byte[] bytes, CameraSettings settings) {}

    private final Map<String, byte[]> fromFile;
    private final CameraSettingsJson json = new CameraSettingsJson();
    private final Map<String, Parsed> parsed = new HashMap<>();

    /** A camera's merge of the two parsed documents it was made from (compared by identity). */
    private record Merged(CameraSettings defaults, CameraSettings own, CameraSettings settings) {}

    private final Map<String, Merged> merged = new HashMap<>(); // cameras with a document

    /**
     * @param fromFile {@code --camera-config}'s documents by key, canonical JSON
     */
    public SettingsLookup(Map<String, byte[]> fromFile) {
        this.fromFile = fromFile;
    }

    /** The settings of {@code camera}. */
    public CameraSettings of(ReadOnlyBroadcastState<String, byte[]> topic, String camera)
            throws Exception {
        CameraSettings defaults = document(topic, SettingsResolver.DEFAULTS_KEY);
        CameraSettings own = document(topic, camera);
        if (own == null) {
            merged.remove(camera);
            return SettingsResolver.resolve(defaults, null); // the defaults as they are
        }
        Merged m = merged.get(camera);
        if (m == null || m.defaults() != defaults || m.own() != own) {
            m = new Merged(defaults, own, SettingsResolver.resolve(defaults, own));
            merged.put(camera, m);
        }
        return m.settings();
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
        // the state hands back the array it was given: a new array is a new document (or the
        // same one after a restore, parsed once more)
        if (p == null || p.bytes() != bytes) {
            p = new Parsed(bytes, json.parse(bytes)); // canonical JSON this job wrote: parses
            parsed.put(key, p);
        }
        return p.settings();
    }
}
