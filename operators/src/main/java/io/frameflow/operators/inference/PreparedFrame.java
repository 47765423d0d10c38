package io.frameflow.operators.inference;

import io.frameflow.operators.preprocess.BoxMapper;

/**
 * A decoded, preprocessed frame waiting for inference. Holds a pooled workspace whose input buffer
 * carries the tensor; the detector returns it to the pool after the run.
 */
public final class PreparedFrame {

    final FrameWorkspace workspace;
    final BoxMapper mapper;
    final long prepareNanos;
    private boolean consumed;

    PreparedFrame(FrameWorkspace workspace, BoxMapper mapper, long prepareNanos) {
        this.workspace = workspace;
        this.mapper = mapper;
        this.prepareNanos = prepareNanos;
    }

    public int width() {
        return mapper.width();
    }

    public int height() {
        return mapper.height();
    }

    /** Marks the frame as handed to a run; a frame runs once. */
    synchronized void consume() {
        if (consumed) {
            throw new IllegalStateException("frame already inferred");
        }
        consumed = true;
    }

    /**
     * Marks the frame as dropped without a run: true the first time, false when it already ran or
     * was dropped (its workspace is back in the pool then, and must not be returned twice).
     */
    synchronized boolean drop() {
        if (consumed) {
            return false;
        }
        consumed = true;
        return true;
    }
}
