package io.frameflow.testkit;

import java.time.Duration;
import java.util.function.LongSupplier;

/** Polling waits for tests that watch a counter move (offsets, metrics, published frames). */
public final class Await {

    private Await() {}

    /**
     * Waits until {@code value} has grown by {@code by} from {@code from}, polling every {@code
     * poll}; fails with {@code what} after {@code timeout}.
     *
     * @return milliseconds it took
     */
    public static long growth(
            String what, LongSupplier value, long from, long by, Duration timeout, Duration poll)
            throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        long now;
        while ((now = value.getAsLong()) < from + by) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        what
                                + " did not grow by "
                                + by
                                + " within "
                                + timeout.toSeconds()
                                + " s (from "
                                + from
                                + ", now "
                                + now
                                + ")");
            }
            Thread.sleep(poll.toMillis());
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /**
     * Waits until {@code condition} holds, polling every 200 ms; fails with {@code what} after
     * {@code timeout}.
     */
    public static void until(
            String what, java.util.concurrent.Callable<Boolean> condition, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " not within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(200);
        }
    }
}
