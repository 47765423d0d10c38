package io.frameflow.job;

import io.frameflow.operators.model.DetectedFrame;
import io.frameflow.operators.model.Frame;
import org.apache.flink.streaming.api.functions.async.AsyncFunction;

/** Builds the inference operator's function from the job options. */
final class Detectors {

    private Detectors() {}

    static AsyncFunction<Frame, DetectedFrame> create(FrameFlowOptions options) {
        throw new UnsupportedOperationException("inference branch not merged yet");
    }
}
