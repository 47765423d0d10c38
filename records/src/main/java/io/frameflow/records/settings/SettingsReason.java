package io.frameflow.records.settings;

/**
 * Why a camera settings document (or a key of the settings topic) was refused. The code is the part
 * of a dead letter's reason before the first ':' and the {@code reason} label of the job's
 * refused-settings metric; {@link SettingsException#getMessage()} says what to fix.
 * docs/camera-settings.md lists them with examples.
 */
public enum SettingsReason {
    /** Not JSON, not one JSON object, a field given twice, or no document at all. */
    BAD_JSON("bad-json"),
    /**
     * Over a limit: the document's bytes ({@link CameraSettingsJson#MAX_DOCUMENT_BYTES}), or the
     * number of classes, masks, zones, lines or points of a polygon ({@link CameraSettings}).
     */
    TOO_LARGE("too-large"),
    /** A field FrameFlow does not know, at any level: typos are refused, not ignored. */
    UNKNOWN_FIELD("unknown-field"),
    /** The key is neither {@code *} nor a camera id. */
    BAD_CAMERA_ID("bad-camera-id"),
    /** {@code site} is not a name (letters, digits, space and {@code . _ - : @ +}, 1 to 64). */
    BAD_SITE("bad-site"),
    /** {@code classes} is not a list of labels, or a label is empty or too long. */
    BAD_CLASS("bad-class"),
    /** {@code minScore} is not a number from 0 to 1. */
    BAD_SCORE("bad-score"),
    /** {@code inferEvery} is not a whole number from 1 to 1000. */
    BAD_INFER_EVERY("bad-infer-every"),
    /** {@code skipUnchanged} is not a number from 0 to below 1. */
    BAD_SKIP_UNCHANGED("bad-skip-unchanged"),
    /** {@code models} is not a list of 1 to 8 different model names. */
    BAD_MODEL("bad-model"),
    /** {@code models} names a model the job does not run (not its --model or --models). */
    UNKNOWN_MODEL("unknown-model"),
    /** A point is not {@code [x, y]} with both numbers from 0 to 1. */
    BAD_COORDINATE("bad-coordinate"),
    /**
     * A mask or zone polygon has fewer than 3 points, a point repeated, edges that cross or touch,
     * or (next to) no area.
     */
    BAD_POLYGON("bad-polygon"),
    /** A line does not have exactly two points, or its two points are the same. */
    BAD_LINE("bad-line"),
    /** A zone is not an object, or its {@code loiterSeconds} is not above 0 and at most 1 day. */
    BAD_ZONE("bad-zone"),
    /** A zone or line has no name, or its name is not a name. */
    BAD_NAME("bad-name"),
    /** Two zones, or two lines, of one document have the same name. */
    DUPLICATE_NAME("duplicate-name"),
    /** {@code tracker} is not an object, a value is out of its range, or lowThresh > highThresh. */
    BAD_TRACKER("bad-tracker");

    private final String code;

    SettingsReason(String code) {
        this.code = code;
    }

    /** The short, stable code used in dead letters and metrics, e.g. {@code bad-polygon}. */
    public String code() {
        return code;
    }

    /** The full reason text for a dead letter: {@code code: detail}. */
    public String withDetail(String detail) {
        return detail == null || detail.isEmpty() ? code : code + ": " + detail;
    }
}
