package io.frameflow.operators.track;

import java.util.List;

/**
 * What one {@link ByteTracker#update} found.
 *
 * @param trackIds one entry per input detection, same order: the confirmed track it belongs to, or
 *     {@link #NONE} (a tentative track's detection, an unmatched low-score one, an ignored one)
 * @param lost confirmed tracks not seen in this frame but still kept, with their predicted boxes
 */
public record TrackResult(long[] trackIds, List<TrackBox> lost) {

    /** The id of a detection that belongs to no confirmed track. */
    public static final long NONE = 0;

    /** Track id of the {@code i}-th input detection, or {@link #NONE}. */
    public long trackId(int i) {
        return trackIds[i];
    }

    /** Detections that got a track id. */
    public int tracked() {
        int n = 0;
        for (long id : trackIds) {
            if (id != NONE) {
                n++;
            }
        }
        return n;
    }
}
