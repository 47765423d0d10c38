package io.frameflow.records.settings;

/**
 * What the settings records' constructors throw for a value they refuse; an {@link
 * IllegalArgumentException} to callers that build records in code, turned into a {@link
 * SettingsException} with the JSON path by {@link CameraSettingsJson}.
 */
final class InvalidSettingsException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    final SettingsReason reason;

    InvalidSettingsException(SettingsReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    static void require(boolean ok, SettingsReason reason, String message) {
        if (!ok) {
            throw new InvalidSettingsException(reason, message);
        }
    }
}
