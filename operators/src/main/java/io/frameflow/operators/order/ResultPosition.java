package io.frameflow.operators.order;

import io.frameflow.operators.inference.InferenceResult;

/** An inference outcome's place in its camera's sequence: its frame's seq and capture time. */
public final class ResultPosition implements CaptureOrderFunction.Position<InferenceResult> {

    private static final long serialVersionUID = 1L;

    @Override
    public long seq(InferenceResult r) {
        return r.frame().seq();
    }

    @Override
    public long captureTs(InferenceResult r) {
        return r.frame().captureTs();
    }
}
