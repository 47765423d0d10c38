package io.frameflow.records.wire;

/** Thrown by {@link ImageProbe} when bytes are not a well-formed JPEG or PNG. */
public final class ImageRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final RejectReason reason;
    private final String detail;

    public ImageRejectedException(RejectReason reason, String detail) {
        // No stack trace: this is an expected outcome for bad input, not a bug.
        super(reason.withDetail(detail), null, false, false);
        this.reason = reason;
        this.detail = detail;
    }

    /** The specific problem, without the reason code. */
    public String detail() {
        return detail;
    }

    public RejectReason reason() {
        return reason;
    }
}
