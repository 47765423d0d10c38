package io.frameflow.operators.track;

/** Track boxes in the frame: clipped to it, and as the tracker reports them ({@link TrackBox}). */
final class TrackBoxes {

    private TrackBoxes() {}

    /** The box clipped to the frame, or null when nothing of it is inside. */
    static double[] clipped(double[] box, int frameWidth, int frameHeight) {
        double x1 = Math.max(0, box[0]);
        double y1 = Math.max(0, box[1]);
        double x2 = Math.min(frameWidth, box[2]);
        double y2 = Math.min(frameHeight, box[3]);
        if (!(x2 > x1 && y2 > y1)) {
            return null;
        }
        return new double[] {x1, y1, x2, y2};
    }

    /** A track's box as reported, clipped to the frame; null when it left the frame. */
    static TrackBox of(Track t, double[] box, int frameWidth, int frameHeight) {
        double[] c = clipped(box, frameWidth, frameHeight);
        if (c == null) {
            return null;
        }
        return new TrackBox(
                t.id,
                t.classId,
                (float) c[0],
                (float) c[1],
                (float) c[2],
                (float) c[3],
                t.score,
                t.state == Track.LOST,
                t.lastSeenTs);
    }
}
