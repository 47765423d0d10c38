package io.frameflow.records.settings;

import io.frameflow.records.DeadLetter;

/**
 * One record of the settings topic as read: a camera id (or {@code *}) and its document, or no
 * document (a tombstone: the camera's settings are removed). Still unchecked: the job validates it
 * on arrival ({@link SettingsResolver#checkKey}, {@link CameraSettingsJson#parse}) and dead-letters
 * what it refuses, with the place it was read from.
 *
 * @param key the record key, UTF-8
 * @param value the JSON document, or null for a tombstone
 */
public record SettingsUpdate(
        byte[] key, byte[] value, String sourceTopic, int sourcePartition, long sourceOffset) {

    public boolean isDelete() {
        return value == null;
    }

    /** This record refused at {@code now} for {@code reason}, as a dead letter of its place. */
    public DeadLetter refused(long now, String reason) {
        return new DeadLetter(
                key,
                value == null ? new byte[0] : value,
                now,
                reason,
                sourceTopic,
                sourcePartition,
                sourceOffset);
    }
}
