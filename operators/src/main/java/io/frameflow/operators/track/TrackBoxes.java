package io.frameflow.operators.track;

import java.util.ArrayList;
import java.util.List;

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

    /**
     * The confirmed tracks' boxes (tracked, and lost but within {@code bufferMs} of {@code
     * captureTs}) after {@code dt} motion steps of their Kalman state (0: where they are), clipped
     * to the frame; the tracks are not changed.
     */
    static List<TrackBox> confirmed(
            List<Track> tracks, double dt, long captureTs, long bufferMs, int width, int height) {
        double[] mean = new double[BoxKalman.DIM];
        double[] cov = new double[BoxKalman.DIM * BoxKalman.DIM];
        List<TrackBox> out = new ArrayList<>();
        for (Track t : tracks) {
            if (!t.confirmed() || (t.state == Track.LOST && captureTs - t.lastSeenTs > bufferMs)) {
                continue;
            }
            System.arraycopy(t.mean, 0, mean, 0, mean.length);
            System.arraycopy(t.cov, 0, cov, 0, cov.length);
            BoxKalman.predict(mean, cov, dt, t.state == Track.LOST);
            TrackBox b = of(t, BoxKalman.corners(mean), width, height);
            if (b != null) {
                out.add(b);
            }
        }
        return out;
    }
}
