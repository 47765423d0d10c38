package io.frameflow.operators.inference.layout;

import io.frameflow.operators.inference.Labels;
import io.frameflow.operators.inference.ModelFormat;
import io.frameflow.operators.inference.ModelFormatException;
import io.frameflow.operators.inference.ModelProfile;
import io.frameflow.operators.inference.ModelSignature;
import io.frameflow.operators.postprocess.OutputDecoder;
import io.frameflow.operators.preprocess.PreprocessSpec;
import java.util.List;

/**
 * A model as a layout sees it once its single image input has been checked: the signature, the
 * input's name and size, and the labels from a file or the model's metadata (empty when neither
 * names them). Carries the checks and messages every layout shares.
 *
 * @param format the layout being applied (for messages and the profile)
 * @param labels class names from {@code --labels} or metadata; empty = none given
 */
public record LayoutContext(
        ModelSignature sig,
        ModelFormat format,
        String inputName,
        int width,
        int height,
        boolean dynamicBatch,
        List<String> labels) {

    /** The model's only output, which must have {@code rank} dimensions. */
    public long[] singleOutput(int rank, String expected) {
        if (sig.outputs().size() != 1 || sig.output(0).length != rank) {
            throw mismatch("one output " + expected);
        }
        return sig.output(0);
    }

    /** The start-up error for a model that does not fit this layout. */
    public ModelFormatException mismatch(String expected) {
        return new ModelFormatException(
                "Model "
                        + sig.file()
                        + " does not fit --model-format "
                        + format.cliName()
                        + ": found "
                        + sig.describe()
                        + "; expected "
                        + expected);
    }

    /** Labels for a head with {@code classes} classes: the given ones, else COCO-80 or classN. */
    public List<String> labelsFor(int classes) {
        if (labels.isEmpty()) {
            return Labels.fallback(classes);
        }
        if (labels.size() < classes) {
            throw new ModelFormatException(
                    sig.file()
                            + " ("
                            + format.cliName()
                            + ") has "
                            + classes
                            + " classes but only "
                            + labels.size()
                            + " labels were given");
        }
        return labels;
    }

    /** Labels for a one-class model (faces): the given ones, else {@code name}. */
    public List<String> labelsOr(String name) {
        return labels.isEmpty() ? List.of(name) : labels;
    }

    /** The profile of this model under this layout. */
    public ModelProfile profile(
            PreprocessSpec preprocess,
            List<String> outputNames,
            List<long[]> outputItemShapes,
            OutputDecoder decoder,
            List<String> labels) {
        return new ModelProfile(
                format,
                inputName,
                width,
                height,
                dynamicBatch,
                preprocess,
                outputNames,
                outputItemShapes,
                decoder,
                labels);
    }
}
