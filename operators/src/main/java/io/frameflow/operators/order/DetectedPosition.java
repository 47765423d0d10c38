package io.frameflow.operators.order;

import io.frameflow.operators.inference.InferenceResult;

/** An inferred frame's place in its camera's sequence: the frame's seq and capture time. */
public final class DetectedPosition
        implements CaptureOrderFunction.Position<InferenceResult.Detected> {

    private static final long serialVersionUID = 1L;

    @Override
    public long seq(InferenceResult.Detected d) {
        return d.frame().seq();
    }

    @Override
    public long captureTs(InferenceResult.Detected d) {
        return d.frame().captureTs();
    }
}
