package io.frameflow.operators.inference;

/**
 * A frame that grew older than its deadline (capture time + {@code --max-frame-age-ms}) while it
 * waited for inference: it is dropped and counted instead of being inferred, so an overloaded slot
 * spends its time on fresh frames.
 */
public final class FrameExpiredException extends Exception {

    private static final long serialVersionUID = 1L;

    public FrameExpiredException(String stage, long lateByMs) {
        super(
                "frame expired " + lateByMs + " ms past its deadline before " + stage,
                null,
                false,
                false);
    }
}
