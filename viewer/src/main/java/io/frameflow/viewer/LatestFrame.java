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

    /**
     * How far behind the shown frame a frame may have been captured and still be skipped as one
     * that inference reordered (the job infers a camera's frames in parallel, so they reach the
     * topic a little out of order). A frame older than this is taken as the camera's clock having
     * been set back, and shown.
     */
    static final long REORDER_WINDOW_MS = 10_000;

    private Frame current;
    private long version;

    /**
     * Replaces the frame and wakes the viewers waiting for one; never blocks on a viewer. A frame
     * captured before the one shown (within {@link #REORDER_WINDOW_MS}) is skipped, so the picture
     * never steps back; the shown frame is returned then.
     */
    public synchronized Frame publish(byte[] jpeg, long timestamp, long seq, String model) {
        if (jpeg == null) {
            throw new IllegalArgumentException("jpeg must not be null");
        }
        if (current != null
                && isOlder(timestamp, seq)
                && current.timestamp() - timestamp <= REORDER_WINDOW_MS) {
            return current;
        }
        current = new Frame(++version, jpeg, timestamp, seq, model == null ? "" : model);
        notifyAll();
        return current;
    }

    private boolean isOlder(long timestamp, long seq) {
        return timestamp < current.timestamp()
                || (timestamp == current.timestamp() && seq >= 0 && seq < current.seq());
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
