package io.frameflow.producer.produce;

import java.io.IOException;

/** A source could not be opened or read; the message says which source and why. */
public class SourceException extends IOException {

    public SourceException(String message) {
        super(message);
    }

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
