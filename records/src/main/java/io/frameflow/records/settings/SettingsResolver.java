package io.frameflow.records.settings;

import io.frameflow.records.wire.FrameWire;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings in effect per camera, from the documents of the settings topic (or a camera config
 * file): key {@value #DEFAULTS_KEY} holds the defaults of every camera, a camera id that camera's
 * own document.
 *
 * <p>Merge ({@link #resolve}): each field the camera's document gives wins whole, lists included (a
 * camera's {@code zones} replace the defaults' zones, they are not added to them); a field it does
 * not give comes from the defaults document; a field neither gives has its built-in value ({@link
 * CameraSettings#BUILT_IN}). {@code tracker} is merged parameter by parameter, camera over
 * defaults, and a parameter neither sets keeps the job's option. Removing a camera's document (a
 * tombstone) leaves it with the defaults; removing the defaults leaves the built-in values.
 *
 * <p>An instance keeps the documents and the merged settings of each camera that has a document
 * (recomputed when its document or the defaults change). Not thread-safe: one per operator
 * instance. Serializable (as are the settings records), so one built from a camera config file in
 * the job's main method can travel inside a function; for Flink state, store each document's
 * canonical JSON ({@link CameraSettingsJson#write}) rather than the records.
 */
public final class SettingsResolver implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The key of the document that holds the defaults of every camera. */
    public static final String DEFAULTS_KEY = "*";

    private final Map<String, CameraSettings> documents = new LinkedHashMap<>();
    private final Map<String, CameraSettings> merged = new HashMap<>();
    private CameraSettings defaults = CameraSettings.BUILT_IN;

    public SettingsResolver() {}

    /**
     * Starts from {@code documents} (e.g. {@link CameraConfigFile#load}).
     *
     * @throws IllegalArgumentException for a key that is neither {@code *} nor a camera id
     */
    public SettingsResolver(Map<String, CameraSettings> documents) {
        documents.forEach(this::put);
    }

    /** Whether {@code key} is {@value #DEFAULTS_KEY}. */
    public static boolean isDefaultsKey(String key) {
        return DEFAULTS_KEY.equals(key);
    }

    /**
     * Whether {@code key} is {@value #DEFAULTS_KEY} or a camera id ({@link FrameWire#CAMERA_ID}).
     */
    public static boolean isValidKey(String key) {
        return key != null && (isDefaultsKey(key) || FrameWire.CAMERA_ID.matcher(key).matches());
    }

    /**
     * {@code key} when it is {@value #DEFAULTS_KEY} or a camera id.
     *
     * @throws SettingsException {@link SettingsReason#BAD_CAMERA_ID} otherwise
     */
    public static String checkKey(String key) throws SettingsException {
        if (key == null || key.isEmpty()) {
            throw new SettingsException(
                    SettingsReason.BAD_CAMERA_ID,
                    "no key; a settings record's key is the camera id, or * for the defaults of"
                            + " every camera");
        }
        if (!isValidKey(key)) {
            throw new SettingsException(
                    SettingsReason.BAD_CAMERA_ID,
                    "key "
                            + Names.quote(key)
                            + " is neither * (the defaults of every camera) nor a camera id (1 to "
                            + FrameWire.MAX_CAMERA_ID_LENGTH
                            + " letters, digits, spaces or . _ - : @ +, starting with a letter or"
                            + " digit)");
        }
        return key;
    }

    /**
     * The key of a settings record, decoded (UTF-8) and checked.
     *
     * @throws SettingsException {@link SettingsReason#BAD_CAMERA_ID} for no key, bytes that are not
     *     UTF-8, or a key that is neither {@code *} nor a camera id
     */
    public static String checkKey(byte[] key) throws SettingsException {
        if (key == null) {
            return checkKey((String) null);
        }
        try {
            return checkKey(
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(key))
                            .toString());
        } catch (CharacterCodingException e) {
            throw new SettingsException(
                    SettingsReason.BAD_CAMERA_ID, "the key is not UTF-8 text", e);
        }
    }

    /**
     * The settings in effect for a camera whose document is {@code own} when the defaults document
     * is {@code defaults}; either may be null (none).
     */
    public static CameraSettings resolve(CameraSettings defaults, CameraSettings own) {
        CameraSettings base = defaults == null ? CameraSettings.BUILT_IN : defaults;
        return own == null ? base : own.orElse(base);
    }

    /**
     * Sets the document of {@code key} ({@value #DEFAULTS_KEY} or a camera id).
     *
     * @throws IllegalArgumentException for any other key
     */
    public void put(String key, CameraSettings document) {
        if (!isValidKey(key)) {
            throw new IllegalArgumentException(
                    "Not a settings key (* or a camera id): " + Names.quote(key));
        }
        if (document == null) {
            remove(key);
            return;
        }
        documents.put(key, document);
        changed(key);
    }

    /** Removes the document of {@code key} (a tombstone); returns it, or null if there was none. */
    public CameraSettings remove(String key) {
        CameraSettings old = documents.remove(key);
        if (old != null) {
            changed(key);
        }
        return old;
    }

    private void changed(String key) {
        if (isDefaultsKey(key)) {
            defaults = resolve(documents.get(DEFAULTS_KEY), null);
            merged.clear();
        } else {
            merged.remove(key);
        }
    }

    /** The document stored under {@code key}, or null. */
    public CameraSettings document(String key) {
        return documents.get(key);
    }

    /** Every stored document by key, in the order they were first put. */
    public Map<String, CameraSettings> documents() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(documents));
    }

    /** The defaults in effect: the {@code *} document over the built-in values. */
    public CameraSettings defaults() {
        return defaults;
    }

    /** The settings in effect for camera {@code cameraId}: its document over the defaults. */
    public CameraSettings settingsFor(String cameraId) {
        CameraSettings own = isDefaultsKey(cameraId) ? null : documents.get(cameraId);
        if (own == null) {
            return defaults;
        }
        return merged.computeIfAbsent(cameraId, k -> own.orElse(defaults));
    }
}
