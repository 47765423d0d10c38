package io.frameflow.operators.preprocess;

/** How a frame is fitted into the model input. */
public enum ResizeMode {
    /** Keep aspect ratio, paste at (0, 0) on a padded canvas. */
    LETTERBOX_TOP_LEFT,
    /** Keep aspect ratio, paste centred on a padded canvas. */
    LETTERBOX_CENTER,
    /** Stretch to the input size, aspect ratio not kept. */
    STRETCH
}
