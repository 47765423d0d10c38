package io.frameflow.operators.policy;

/**
 * A frame the drop policy discarded before inference, kept small so it can be counted in the window
 * stats.
 *
 * @param camera camera id
 * @param captureTs capture time of the dropped frame, ms since epoch
 * @param reason {@link DropPolicy#REASON_MAX_AGE} or {@link DropPolicy#REASON_MAX_FPS}
 */
public record DropEvent(String camera, long captureTs, String reason) {}
