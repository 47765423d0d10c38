package io.frameflow.records.json;

import java.io.Serializable;

/**
 * Wall-clock time in ms since epoch, injectable so tests can pin the {@code latencyMs} that
 * serializers compute at emit time.
 */
@FunctionalInterface
public interface EmitClock extends Serializable {

    long nowMs();

    /** {@link System#currentTimeMillis()}. */
    static EmitClock system() {
        return System::currentTimeMillis;
    }

    static EmitClock fixed(long ms) {
        return () -> ms;
    }
}
