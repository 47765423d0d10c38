package io.frameflow.operators.inference.layout;

import io.frameflow.operators.inference.ModelProfile;
import io.frameflow.operators.inference.ModelSignature;

/**
 * One family of detector outputs, in one class: how to recognise it for {@code --model-format
 * auto}, how to feed it (its {@link io.frameflow.operators.preprocess.PreprocessSpec}), how to
 * check a model's shapes against it, and how to decode its outputs (its {@link
 * io.frameflow.operators.postprocess.OutputDecoder}, a nested class of the layout).
 *
 * <p>Adding a format: write one class implementing this interface (plus its test) and add one line
 * for it to {@link io.frameflow.operators.inference.ModelFormat}, the list of formats.
 */
public interface OutputLayout {

    /**
     * The layout's thresholds (from the models README's verified recipes).
     *
     * @param score default score threshold
     * @param iou NMS IoU
     * @param classAwareNms whether NMS only suppresses boxes of the same class
     */
    record Defaults(float score, float iou, boolean classAwareNms) {}

    Defaults defaults();

    /** Whether the layout's detections carry 5 face landmarks (what face recognition aligns by). */
    default boolean faceLandmarks() {
        return false;
    }

    /** Default score threshold. */
    default float defaultScore() {
        return defaults().score();
    }

    /** Default NMS IoU. */
    default float defaultIou() {
        return defaults().iou();
    }

    /** Whether NMS only suppresses boxes of the same class. */
    default boolean classAwareNms() {
        return defaults().classAwareNms();
    }

    /**
     * Whether {@code --model-format auto} should pick this layout for the model. Declared evidence
     * (output names, metadata) wins over shapes: every layout is asked for {@link
     * Recognition#DECLARED} before any is asked for shapes.
     *
     * @param inputWidth the model's input width (its fixed size, else Ultralytics imgsz, else 640)
     * @throws io.frameflow.operators.inference.ModelFormatException when the model declares itself
     *     as this family but as a variant FrameFlow cannot run (e.g. an Ultralytics pose model)
     */
    Recognition recognize(ModelSignature sig, int inputWidth, int inputHeight);

    /**
     * Checks the model's outputs against this layout and says how to feed and read it.
     *
     * @throws io.frameflow.operators.inference.ModelFormatException naming the file, the shapes
     *     found and the shapes expected, when the model does not fit
     */
    ModelProfile profile(LayoutContext model);

    /** How a model matches a layout. */
    enum Recognition {
        /** Not this layout. */
        NO,
        /** By output names or metadata the model declares. */
        DECLARED,
        /** By output shapes only. */
        BY_SHAPE
    }
}
