package io.frameflow.operators.policy;

/**
 * A frame the drop policy discarded before inference, kept small so it can be counted in the window
 * stats.
 *
 * @param camera camera id
 * @param captureTs capture time of the dropped frame, ms since epoch
 * @param reason {@link DropPolicy#REASON_MAX_AGE} or {@link DropPolicy#REASON_MAX_FPS}
 * @param seq the frame's sequence number, or -1 (so it can hold its place in capture order)
 */
public record DropEvent(String camera, long captureTs, String reason, long seq) {

    /** A drop whose frame's sequence number is not known. */
    public DropEvent(String camera, long captureTs, String reason) {
        this(camera, captureTs, reason, -1);
    }
}
