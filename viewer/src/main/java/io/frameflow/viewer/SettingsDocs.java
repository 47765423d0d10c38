package io.frameflow.viewer;

import io.frameflow.records.settings.CameraSettings;
import io.frameflow.records.settings.CameraSettingsJson;
import io.frameflow.records.settings.SettingsException;
import io.frameflow.records.settings.SettingsResolver;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The newest valid settings document per key ({@code *} or a camera id) of the compacted settings
 * topic, as the job sees them: a document the job would refuse is ignored here too (the camera
 * keeps its previous one), a tombstone forgets the key. The page draws a camera's zones and lines
 * from these and the zone editor starts from them.
 */
final class SettingsDocs {

    /** Keys kept at most, so a topic full of junk keys cannot fill the heap. */
    static final int MAX_KEYS = 10_000;

    private final CameraSettingsJson json = new CameraSettingsJson();
    private final Map<String, String> documents = new ConcurrentHashMap<>();
    private final Map<String, CameraSettings> parsed = new ConcurrentHashMap<>();

    /**
     * Takes one record of the settings topic.
     *
     * @return false when the record was refused (bad key or document)
     */
    boolean onRecord(byte[] key, byte[] value) {
        String k;
        try {
            k = SettingsResolver.checkKey(key);
        } catch (SettingsException e) {
            return false;
        }
        if (value == null) {
            documents.remove(k);
            parsed.remove(k);
            return true;
        }
        CameraSettings doc;
        try {
            doc = json.parse(value);
        } catch (SettingsException e) {
            return false;
        }
        if (documents.size() >= MAX_KEYS && !documents.containsKey(k)) {
            return false;
        }
        parsed.put(k, doc);
        documents.put(k, new String(value, StandardCharsets.UTF_8));
        return true;
    }

    /** The camera's site: its own document's, else the defaults' ({@code *}); null if none. */
    String site(String camera) {
        CameraSettings own = parsed.get(camera);
        if (own != null && own.site() != null) {
            return own.site();
        }
        CameraSettings defaults = parsed.get(SettingsResolver.DEFAULTS_KEY);
        return defaults == null ? null : defaults.site();
    }

    /** The key's document as published (JSON text), or null. */
    String document(String key) {
        return documents.get(key);
    }
}
