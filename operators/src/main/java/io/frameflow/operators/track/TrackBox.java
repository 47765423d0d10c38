package io.frameflow.operators.track;

/**
 * A confirmed track's box as the motion model predicts it, in original-image pixels, clipped to the
 * frame.
 *
 * @param trackId the track's id (> 0)
 * @param classId the class the track follows
 * @param x1 left edge
 * @param y1 top edge
 * @param x2 right edge
 * @param y2 bottom edge
 * @param score score of the last detection matched to the track
 * @param lost true when the last update did not see the object (it is kept through a short
 *     occlusion and coasts on its last velocity)
 * @param lastSeenTs capture time of the last matched detection
 */
public record TrackBox(
        long trackId,
        int classId,
        float x1,
        float y1,
        float x2,
        float y2,
        float score,
        boolean lost,
        long lastSeenTs) {}
