package io.frameflow.operators.settings;

import io.frameflow.records.settings.CameraSettings;
import io.frameflow.records.settings.CameraSettingsJson;
import io.frameflow.records.settings.SettingsException;
import io.frameflow.records.settings.SettingsReason;
import io.frameflow.records.settings.SettingsResolver;
import io.frameflow.records.settings.SettingsUpdate;
import java.util.Collection;
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
        apply(update, state, json, null);
    }

    /**
     * {@link #apply}, also refusing a document whose {@code models} names a model the job does not
     * run.
     *
     * @param models the job's model names; null = not checked
     */
    public static void apply(
            SettingsUpdate update,
            BroadcastState<String, byte[]> state,
            CameraSettingsJson json,
            Collection<String> models)
            throws Exception {
        String key = SettingsResolver.checkKey(update.key());
        if (update.isDelete()) {
            state.remove(key);
            return;
        }
        CameraSettings doc = json.parse(update.value());
        checkModels(doc, models);
        state.put(key, json.write(doc));
    }

    /**
     * @throws SettingsException ({@code unknown-model}) when the document names a model that is not
     *     among {@code models} (null: anything goes)
     */
    public static void checkModels(CameraSettings doc, Collection<String> models)
            throws SettingsException {
        if (models == null) {
            return;
        }
        for (String m : doc.models()) {
            if (!models.contains(m)) {
                throw new SettingsException(
                        SettingsReason.UNKNOWN_MODEL,
                        "models: '"
                                + m
                                + "' is not one of this job's models "
                                + models
                                + " (its --model and --models, by file name without .onnx)");
            }
        }
    }
}
