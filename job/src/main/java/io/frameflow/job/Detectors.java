package io.frameflow.job;

import static io.frameflow.operators.inference.InferenceOptions.*;
import static io.frameflow.operators.policy.DropPolicyOptions.MAX_FRAME_AGE_MS;

import io.frameflow.operators.inference.DetectFunction;
import io.frameflow.operators.inference.DetectorConfig;
import io.frameflow.operators.inference.DetectorEngine;
import io.frameflow.operators.inference.ModelFormat;
import io.frameflow.operators.model.DetectedFrame;
import io.frameflow.records.Frame;
import org.apache.flink.streaming.api.functions.async.AsyncFunction;

/** The inference operator's configuration and function, from the job options. */
public final class Detectors {

    private Detectors() {}

    public static DetectorConfig config(FrameFlowOptions options) {
        DetectorConfig config =
                DetectorConfig.of(options.modelPath().toString())
                        .withFormat(ModelFormat.parse(options.get(MODEL_FORMAT)))
                        .withDevice(options.get(DEVICE))
                        .withThresholds(
                                options.getOptional(SCORE_THRESHOLD)
                                        .map(Double::floatValue)
                                        .orElse(Float.NaN),
                                Float.NaN)
                        .withBatching(
                                options.get(MAX_BATCH), options.get(MAX_BATCH_DELAY).toMillis());
        return options.getOptional(LABELS).map(config::withLabelsFile).orElse(config);
    }

    public static AsyncFunction<Frame, DetectedFrame> create(FrameFlowOptions options) {
        return new DetectFunction(
                config(options),
                options.get(ASYNC_TIMEOUT).toMillis(),
                options.get(MAX_FRAME_AGE_MS));
    }

    /**
     * Opens the model once on the client and closes it, so that a model that cannot be loaded, or
     * does not fit its format, fails at start-up with the engine's message instead of restarting
     * the job over and over.
     */
    public static void check(FrameFlowOptions options) {
        DetectorConfig config = config(options);
        try (DetectorEngine engine = DetectorEngine.open(config.withDevice("cpu"))) {
            engine.info();
        }
    }
}
