package io.frameflow.operators.postprocess;

import java.nio.FloatBuffer;
import java.util.List;

/**
 * Turns one batch item of a model's raw outputs into candidate boxes in model-input pixels. The
 * buffers hold the whole batch; {@code item} selects the frame. Implementations keep no per-frame
 * state, so one instance serves every frame.
 */
public interface OutputDecoder {

    /**
     * @param outputs one buffer per model output, in the order of {@link #outputNames()} (or the
     *     model's order when that is empty), each holding the whole batch
     * @param item index of the frame in the batch
     * @param threshold keep boxes whose score is strictly above this
     * @param out receives the candidates
     */
    void decode(FloatBuffer[] outputs, int item, float threshold, List<Candidate> out);
}
