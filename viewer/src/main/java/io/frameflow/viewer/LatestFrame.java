package io.frameflow.viewer;

import java.util.concurrent.TimeUnit;

/**
 * Holds the newest annotated JPEG of one camera. The Kafka consumer replaces it; any number of
 * viewer connections wait for a frame newer than the one they last sent. Nothing is queued: a
 * viewer that is busy writing simply misses the frames published meanwhile, so a slow viewer never
 * builds a backlog and never slows the consumer or other viewers.
 */
public final class LatestFrame {

    /**
     * One frame as it came from Kafka; the bytes are never decoded or copied.
     *
     * @param version increases by one with every frame published to this holder
     * @param jpeg the record value (treated as immutable)
     * @param timestamp Kafka record timestamp (capture time, ms)
     * @param seq the {@code seq} header, -1 when absent
     * @param model the {@code model} header, empty when absent
     */
    public record Frame(long version, byte[] jpeg, long timestamp, long seq, String model) {}

    private Frame current;
    private long version;

    /** Replaces the frame and wakes the viewers waiting for one; never blocks on a viewer. */
    public synchronized Frame publish(byte[] jpeg, long timestamp, long seq, String model) {
        if (jpeg == null) {
            throw new IllegalArgumentException("jpeg must not be null");
        }
        current = new Frame(++version, jpeg, timestamp, seq, model == null ? "" : model);
        notifyAll();
        return current;
    }

    /** The newest frame, or null before the first one. */
    public synchronized Frame latest() {
        return current;
    }

    /**
     * Waits until a frame newer than {@code seenVersion} exists and returns the newest one (frames
     * in between are skipped), or returns null when none arrives within the timeout.
     */
    public synchronized Frame awaitNewer(long seenVersion, long timeout, TimeUnit unit)
            throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (current == null || current.version() <= seenVersion) {
            long leftNanos = deadline - System.nanoTime();
            if (leftNanos <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, leftNanos);
        }
        return current;
    }
}
