package io.frameflow.operators.inference;

import io.frameflow.operators.postprocess.OutputDecoder;
import io.frameflow.operators.preprocess.PreprocessSpec;
import java.util.List;

/**
 * A model resolved against a format: how to feed it and how to read it.
 *
 * @param format the layout (never AUTO)
 * @param inputName the image input
 * @param inputWidth model input width
 * @param inputHeight model input height
 * @param dynamicBatch whether the batch dimension is dynamic (else the batch is fixed at 1)
 * @param preprocess resize/colour/normalisation recipe
 * @param outputNames outputs in the order the decoder reads them
 * @param outputItemShapes each output's shape without the batch dimension
 * @param decoder the output decoder
 * @param labels class names by id
 */
public record ModelProfile(
        ModelFormat format,
        String inputName,
        int inputWidth,
        int inputHeight,
        boolean dynamicBatch,
        PreprocessSpec preprocess,
        List<String> outputNames,
        List<long[]> outputItemShapes,
        OutputDecoder decoder,
        List<String> labels) {

    /** Floats per frame in the input tensor. */
    public int inputItemSize() {
        return 3 * inputWidth * inputHeight;
    }

    /** Floats per frame in output {@code i}. */
    public int outputItemSize(int i) {
        long n = 1;
        for (long d : outputItemShapes.get(i)) {
            n *= d;
        }
        return Math.toIntExact(n);
    }
}
