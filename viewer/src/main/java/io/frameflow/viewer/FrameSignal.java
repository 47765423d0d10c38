package io.frameflow.viewer;

import java.util.concurrent.TimeUnit;

/**
 * Rings whenever any camera gets a new frame, so that one connection showing many cameras waits on
 * one monitor instead of polling each camera's {@link LatestFrame}.
 */
final class FrameSignal {

    private long rings;

    /** Called by the Kafka thread after each new frame; never blocks on a viewer. */
    synchronized void ring() {
        rings++;
        notifyAll();
    }

    /** The number of rings so far; pass it to {@link #awaitAfter}. */
    synchronized long rings() {
        return rings;
    }

    /**
     * Waits until the signal has rung more than {@code seen} times or the timeout passed; returns
     * the count then.
     */
    synchronized long awaitAfter(long seen, long timeout, TimeUnit unit)
            throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (rings <= seen) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return rings;
    }
}
