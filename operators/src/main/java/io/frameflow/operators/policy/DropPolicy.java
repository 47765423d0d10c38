package io.frameflow.operators.policy;

import java.io.Serializable;

/**
 * When to drop frames before inference, per camera. Zero disables a rule; the default drops
 * nothing.
 *
 * @param maxFrameAgeMs drop a frame whose capture time is more than this many ms before the
 *     processing time at which it reaches the policy (the job applies the same limit again when the
 *     frame's inference starts, see {@code InferenceFunction}); 0 = no age limit
 * @param maxFps keep at most this many frames per second of capture time per camera; 0 = keep all
 * @param idleStateTimeoutMs forget a camera's state after this long without frames (processing
 *     time)
 */
public record DropPolicy(long maxFrameAgeMs, double maxFps, long idleStateTimeoutMs)
        implements Serializable {

    public static final String REASON_MAX_AGE = "max-age";
    public static final String REASON_MAX_FPS = "max-fps";

    public static final long DEFAULT_IDLE_STATE_TIMEOUT_MS = 60_000;

    public DropPolicy {
        if (maxFrameAgeMs < 0) {
            throw new IllegalArgumentException(
                    "max-frame-age-ms must be >= 0 (0 disables it), got " + maxFrameAgeMs);
        }
        if (maxFps < 0 || Double.isNaN(maxFps) || Double.isInfinite(maxFps)) {
            throw new IllegalArgumentException(
                    "max-fps must be a finite number >= 0 (0 disables it), got " + maxFps);
        }
        if (idleStateTimeoutMs <= 0) {
            throw new IllegalArgumentException(
                    "idle state timeout must be > 0 ms, got " + idleStateTimeoutMs);
        }
    }

    /** Drops nothing. */
    public static DropPolicy keepAll() {
        return new DropPolicy(0, 0, DEFAULT_IDLE_STATE_TIMEOUT_MS);
    }

    public static DropPolicy of(long maxFrameAgeMs, double maxFps) {
        return new DropPolicy(maxFrameAgeMs, maxFps, DEFAULT_IDLE_STATE_TIMEOUT_MS);
    }

    /** Minimum capture-time gap between two kept frames of one camera, or 0 when unlimited. */
    public long minGapMs() {
        return maxFps > 0 ? (long) Math.ceil(1000.0 / maxFps) : 0;
    }
}
