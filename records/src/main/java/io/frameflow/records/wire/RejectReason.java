package io.frameflow.records.wire;

/**
 * Why a record from the {@code frames} topic was sent to the dead-letter topic. The code is the
 * part of {@link io.frameflow.records.DeadLetter#reason()} before the first ':' and the {@code
 * reason} label of the {@code dead_letters} metric; the text after it gives the detail.
 */
public enum RejectReason {
    /** The record has no key (or an empty one): the camera id is required. */
    MISSING_KEY("missing-key"),
    /** The key is not valid UTF-8 or is only whitespace. */
    BAD_KEY("bad-key"),
    /**
     * The key decodes but is no camera id ({@link FrameWire#CAMERA_ID}): too long, or characters
     * that have no place in a metric label, a file name or a URL path. Any key would otherwise
     * become a camera, with its own state and metric groups.
     */
    BAD_CAMERA_ID("bad-camera-id"),
    /** The value is null or has no bytes. */
    EMPTY_VALUE("empty-value"),
    /** The value is larger than the configured frame size limit. */
    OVERSIZED_VALUE("oversized-value"),
    /** The value starts with neither the JPEG nor the PNG signature. */
    NOT_AN_IMAGE("not-an-image"),
    /** JPEG that ends too early: inside a segment, inside the scan, or without an EOI marker. */
    TRUNCATED_JPEG("truncated-jpeg"),
    /**
     * JPEG whose marker structure is wrong: no frame header (SOF), no scan, a scan before the SOF,
     * bad lengths.
     */
    CORRUPT_JPEG("corrupt-jpeg"),
    /** PNG that ends before its IEND chunk. */
    TRUNCATED_PNG("truncated-png"),
    /** PNG whose chunk structure is wrong: IHDR not first, no IDAT, zero size. */
    CORRUPT_PNG("corrupt-png"),
    /** Declared width x height over the pixel limit: protects the decoder from JPEG/PNG bombs. */
    IMAGE_TOO_LARGE("image-too-large"),
    /** A header FrameFlow reads is malformed: {@code seq} not a decimal, contradicting type. */
    BAD_HEADER("bad-header"),
    /**
     * The record timestamp (the capture time) is negative, before 2000-01-01 (clock not set) or too
     * far ahead of the wall clock.
     */
    BAD_TIMESTAMP("bad-timestamp"),
    /** The validator itself failed on this record; a bug, but the job keeps running. */
    VALIDATION_ERROR("validation-error");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    /** The short, stable code used in dead letters and metrics, e.g. {@code truncated-jpeg}. */
    public String code() {
        return code;
    }

    /** The full reason text for a dead letter: {@code code: detail}. */
    public String withDetail(String detail) {
        return detail == null || detail.isEmpty() ? code : code + ": " + detail;
    }
}
