package io.frameflow.records;

/**
 * Something a tracked object did on a camera's zones and lines: one record of {@code
 * frames.events}. docs/events.md describes the contract, with examples.
 *
 * @param type what happened
 * @param camera camera id
 * @param site the camera's site (its settings' {@code site}), or null
 * @param name the line's or zone's name
 * @param trackId the object's track on this camera
 * @param label the object's class, e.g. {@code person}
 * @param captureTs capture time of the frame that decided the event, ms since epoch
 * @param seq that frame's sequence number, or -1
 * @param direction {@link #IN} or {@link #OUT} for a {@link Type#LINE_CROSS}, else null
 * @param dwellMs for {@link Type#ZONE_EXIT} and {@link Type#LOITER}: time since the object entered
 *     the zone (capture time), else null
 * @param x the object's anchor (bottom centre of its box), normalised 0..1 of the width
 * @param y the anchor, normalised 0..1 of the height (y down)
 */
public record CameraEvent(
        Type type,
        String camera,
        String site,
        String name,
        long trackId,
        String label,
        long captureTs,
        long seq,
        String direction,
        Long dwellMs,
        double x,
        double y) {

    /** A line crossed from its left to its right (docs/camera-settings.md). */
    public static final String IN = "in";

    /** A line crossed from its right to its left. */
    public static final String OUT = "out";

    /** The kinds of event, with their names on the wire. */
    public enum Type {
        LINE_CROSS("line-cross"),
        ZONE_ENTER("zone-enter"),
        ZONE_EXIT("zone-exit"),
        LOITER("loiter");

        private final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        /** The {@code type} field's value in JSON. */
        public String wireName() {
            return wireName;
        }

        /** The type whose {@link #wireName} is {@code name}. */
        public static Type ofWireName(String name) {
            for (Type t : values()) {
                if (t.wireName.equals(name)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown event type " + name);
        }

        /** Whether events of this type are about a line (else a zone). */
        public boolean isLine() {
            return this == LINE_CROSS;
        }
    }
}
