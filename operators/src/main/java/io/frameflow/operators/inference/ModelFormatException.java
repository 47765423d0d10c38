package io.frameflow.operators.inference;

/** The model cannot be used with the chosen (or detected) format: a start-up error. */
public final class ModelFormatException extends IllegalArgumentException {

    public ModelFormatException(String message) {
        super(message);
    }
}
