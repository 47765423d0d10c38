package io.frameflow.producer.produce;

import java.time.Duration;

/** Exponential reconnect delays: initial, 2x, 4x, ... up to max. */
public final class Backoff {

    private final long initialMillis;
    private final long maxMillis;
    private long next;

    public Backoff(Duration initial, Duration max) {
        this.initialMillis = Math.max(1, initial.toMillis());
        this.maxMillis = Math.max(initialMillis, max.toMillis());
        this.next = initialMillis;
    }

    /** The delay before the next attempt; each call doubles the following one. */
    public long nextDelayMillis() {
        long d = next;
        next = Math.min(maxMillis, next * 2);
        return d;
    }

    /** After a successful connection the next failure starts again from the initial delay. */
    public void reset() {
        next = initialMillis;
    }
}
