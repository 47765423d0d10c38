package io.frameflow.producer.produce;

/**
 * Caps the published rate: keeps a frame when its time reaches the next slot of a {@code 1/fps}
 * grid. Times are media time for files (so a 15 fps file capped at 5 fps keeps exactly every third
 * frame, at any playback speed) and wall-clock time for live sources.
 */
public final class FrameRateGate {

    /** Tolerance for timestamps that land a hair before their slot (rounded pts). */
    private static final long SLACK_MICROS = 1_000;

    private final long periodMicros;
    private long nextSlot = Long.MIN_VALUE;

    /**
     * @param maxFps the cap, or 0 for none
     */
    public FrameRateGate(double maxFps) {
        this.periodMicros = maxFps > 0 ? Math.round(1_000_000.0 / maxFps) : 0;
    }

    /** Whether the frame at {@code timeMicros} is published. */
    public boolean accept(long timeMicros) {
        if (periodMicros == 0) {
            return true;
        }
        if (nextSlot == Long.MIN_VALUE || timeMicros >= nextSlot - SLACK_MICROS) {
            long base = nextSlot == Long.MIN_VALUE ? timeMicros : nextSlot;
            nextSlot = base + periodMicros;
            if (nextSlot <= timeMicros - SLACK_MICROS) {
                // after a gap (stall, reconnect) restart the grid instead of bursting to catch up
                nextSlot = timeMicros + periodMicros;
            }
            return true;
        }
        return false;
    }
}
