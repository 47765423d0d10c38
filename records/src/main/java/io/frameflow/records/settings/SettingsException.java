package io.frameflow.records.settings;

/**
 * A camera settings document (or its key) was refused: {@link #reason()} is the machine reason,
 * {@link #getMessage()} a sentence that says where the problem is and what to fix, e.g. {@code
 * zones[0] 'counter': polygon has 2 points; a polygon needs at least 3}.
 *
 * <p>Checked on purpose: a settings record comes from outside, and a job that let this escape would
 * fail, restart and read the same record from the compacted topic again. Refuse the document, keep
 * the camera's previous settings, count it and dead-letter it with {@link #deadLetterReason()}.
 */
public final class SettingsException extends Exception {

    private static final long serialVersionUID = 1L;

    private final SettingsReason reason;
    private final String key;

    public SettingsException(SettingsReason reason, String message) {
        this(reason, message, null, null);
    }

    public SettingsException(SettingsReason reason, String message, Throwable cause) {
        this(reason, message, null, cause);
    }

    private SettingsException(SettingsReason reason, String message, String key, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.key = key;
    }

    public SettingsReason reason() {
        return reason;
    }

    /** The reason code, e.g. {@code bad-polygon}. */
    public String code() {
        return reason.code();
    }

    /**
     * The key (camera id or {@code *}) of the document, when known: set by {@link CameraConfigFile}
     * and {@link #forKey(String)}; null otherwise.
     */
    public String key() {
        return key;
    }

    /** {@code code: message}, for a dead letter's reason. */
    public String deadLetterReason() {
        return reason.withDetail(getMessage());
    }

    /**
     * The same problem, placed at {@code key}: the message starts with {@code camera 'cam-1': } or
     * {@code defaults '*': }.
     */
    public SettingsException forKey(String key) {
        return new SettingsException(reason, describeKey(key) + ": " + getMessage(), key, this);
    }

    /** {@code camera 'cam-1'} or {@code defaults '*'}. */
    static String describeKey(String key) {
        return (SettingsResolver.DEFAULTS_KEY.equals(key) ? "defaults '" : "camera '") + key + "'";
    }
}
