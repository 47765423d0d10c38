package io.frameflow.job;

import static io.frameflow.operators.policy.DropPolicyOptions.MAX_FRAME_AGE_MS;

import io.frameflow.operators.inference.Detector;
import io.frameflow.operators.inference.DetectorSettings;
import io.frameflow.operators.inference.InferenceFunction;
import io.frameflow.operators.inference.InferenceOptions;
import io.frameflow.operators.inference.InferenceResult;
import io.frameflow.operators.settings.SettingsBroadcast;
import io.frameflow.records.Frame;
import io.frameflow.records.settings.CameraSettingsJson;
import io.frameflow.records.settings.SettingsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.functions.async.AsyncFunction;

/**
 * The job's inference stage: the detector settings parsed once from the options (by {@link
 * FrameFlowOptions#validate()}, {@link FrameFlowOptions#detectorSettings()}), the model checked
 * once on the client, and the async function that carries the settings to every slot.
 */
public final class InferenceStage {

    private InferenceStage() {}

    /** The detector settings the options describe; every problem with them at once. */
    public static DetectorSettings settings(FrameFlowOptions options) {
        return options.detectorSettings();
    }

    /**
     * Opens the model once on the client's CPU and closes it, so that a model that cannot be
     * loaded, does not fit its format, or lacks a filtered class fails at start-up with the
     * detector's message instead of restarting the job over and over.
     *
     * @return the settings, checked
     */
    public static DetectorSettings check(DetectorSettings settings) {
        Detector.probe(settings);
        return settings;
    }

    /**
     * Fails at start-up when a {@code --camera-config} document chooses a model the job does not
     * run (the settings topic's are refused on arrival instead).
     */
    static Map<String, byte[]> checkModels(
            Map<String, byte[]> cameraConfig, FrameFlowOptions options) {
        CameraSettingsJson json = new CameraSettingsJson();
        for (Map.Entry<String, byte[]> e : cameraConfig.entrySet()) {
            try {
                SettingsBroadcast.checkModels(json.parse(e.getValue()), options.modelNames());
            } catch (SettingsException ex) {
                throw new IllegalArgumentException(
                        "--camera-config: camera '" + e.getKey() + "': " + ex.getMessage(), ex);
            }
        }
        return cameraConfig;
    }

    /** The job's models: its {@code --model} first, then its {@code --models}. */
    static List<DetectorSettings> allModels(FrameFlowOptions options) {
        List<DetectorSettings> all = new ArrayList<>();
        all.add(options.detectorSettings());
        all.addAll(options.otherModels());
        return all;
    }

    /** {@link #check} for the job's other models ({@code --models}). */
    public static void checkOthers(FrameFlowOptions options) {
        options.otherModels().forEach(Detector::probe);
    }

    /** The inference function for these settings, with the job's timeout and frame age limit. */
    public static AsyncFunction<Frame, InferenceResult> function(
            DetectorSettings settings, FrameFlowOptions options) {
        return new InferenceFunction(
                        settings,
                        options.otherModels(),
                        options.get(InferenceOptions.ASYNC_TIMEOUT).toMillis(),
                        options.get(MAX_FRAME_AGE_MS))
                .modelPoll(options.get(InferenceOptions.MODEL_POLL_INTERVAL));
    }
}
