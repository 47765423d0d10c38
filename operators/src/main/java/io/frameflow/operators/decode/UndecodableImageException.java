package io.frameflow.operators.decode;

/** The frame bytes are not an image OpenCV can decode. The message starts with the reason code. */
public final class UndecodableImageException extends Exception {

    public static final String REASON = "undecodable-image";

    public UndecodableImageException(String detail) {
        super(REASON + ": " + detail);
    }
}
