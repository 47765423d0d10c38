package io.frameflow.operators.settings;

import io.frameflow.records.settings.CameraSettingsJson;
import io.frameflow.records.settings.SettingsException;
import io.frameflow.records.settings.SettingsResolver;
import io.frameflow.records.settings.SettingsUpdate;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The settings topic as broadcast state: camera id or {@code *} to the document's canonical JSON.
 * Every operator that needs a camera's settings connects the same broadcast stream and keeps its
 * own copy with {@link #apply}; {@link SettingsLookup} reads it.
 */
public final class SettingsBroadcast {

    /** Camera id or {@code *} to its canonical settings JSON. */
    public static final MapStateDescriptor<String, byte[]> STATE =
            new MapStateDescriptor<>(
                    "camera-settings",
                    Types.STRING,
                    PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    private SettingsBroadcast() {}

    /**
     * Validates a document of the settings topic and stores it (an empty value removes the key).
     *
     * @throws SettingsException for a bad key or document: nothing is changed, the camera keeps
     *     what it had
     */
    public static void apply(
            SettingsUpdate update, BroadcastState<String, byte[]> state, CameraSettingsJson json)
            throws Exception {
        String key = SettingsResolver.checkKey(update.key());
        if (update.isDelete()) {
            state.remove(key);
            return;
        }
        state.put(key, json.write(json.parse(update.value())));
    }
}
