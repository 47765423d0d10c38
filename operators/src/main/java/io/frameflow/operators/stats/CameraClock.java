package io.frameflow.operators.stats;

/**
 * One camera's event-time clock, kept in keyed state: the camera's own watermark, built only from
 * its own capture times, and when it last sent a frame. A public POJO so Flink serializes it field
 * by field.
 *
 * <p>Its watermark is {@code largest confirmed capture time - outOfOrderness - 1}, the rule of
 * Flink's bounded out-of-orderness, applied per camera. A capture time is <em>confirmed</em> once
 * the job's arrival-time watermark has passed the frame's arrival: then every frame read before it
 * has reached the windows too, however inference reordered them.
 */
public class CameraClock {

    public static final long NONE = Long.MIN_VALUE;

    /** No window ending at or before this (+ 1) takes frames any more; {@link #NONE} at start. */
    public long watermark = NONE;

    /** Arrival time (the job's Flink time) of the camera's last frame; {@link #NONE} when quiet. */
    public long lastArrival = NONE;

    /** When its windows were closed for quiet; {@link #NONE} while it is sending. */
    public long closedAt = NONE;

    public CameraClock() {}

    /**
     * Moves the watermark to what {@code confirmedCaptureTs} allows; returns the previous one, or
     * {@code null} when it did not move.
     */
    Long advance(long confirmedCaptureTs, long outOfOrdernessMs) {
        long next = confirmedCaptureTs - outOfOrdernessMs - 1;
        if (next <= watermark) {
            return null;
        }
        long previous = watermark;
        watermark = next;
        return previous;
    }

    /** Whether a window ending at {@code end} has fired (its last millisecond is past). */
    boolean fired(long end) {
        return end - 1 <= watermark;
    }

    /** Whether a window ending at {@code end} is gone: fired, and its allowed lateness is past. */
    boolean expired(long end, long allowedLatenessMs) {
        return end - 1 + allowedLatenessMs <= watermark;
    }
}
