package io.frameflow.operators.track;

import io.frameflow.records.Detection;
import java.util.List;

/** One track inside a {@link ByteTracker}: mutable, never shared outside it. */
final class Track {

    /** Seen in fewer than {@code minHits} consecutive updates; no id yet. */
    static final byte TENTATIVE = 0;

    /** Confirmed and matched in the latest update. */
    static final byte TRACKED = 1;

    /** Confirmed, not matched in the latest update, kept for {@code trackBufferMs}. */
    static final byte LOST = 2;

    /** 0 while tentative, then the id given at confirmation. */
    long id;

    int classId;
    byte state;

    /** Detections matched so far (the one that started it included). */
    int hits;

    /** Score of the last matched detection. */
    float score;

    /** Capture time of the detection that started it. */
    long startTs;

    /** Capture time of the last matched detection. */
    long lastSeenTs;

    final double[] mean = new double[BoxKalman.DIM];
    final double[] cov = new double[BoxKalman.DIM * BoxKalman.DIM];

    /** The predicted box of this update, corners; refreshed by {@link #refreshBox()}. */
    final double[] box = new double[4];

    /** Removes the least recently seen lost track; false when there is none. */
    static boolean evictOldestLost(List<Track> tracks) {
        Track victim = oldest(tracks, LOST);
        return victim != null && tracks.remove(victim);
    }

    /** The least recently seen track of the first of {@code states} that has any; else null. */
    static Track oldest(List<Track> tracks, byte... states) {
        for (byte state : states) {
            Track best = null;
            for (Track t : tracks) {
                if (t.state == state && (best == null || t.lastSeenTs < best.lastSeenTs)) {
                    best = t;
                }
            }
            if (best != null) {
                return best;
            }
        }
        return null;
    }

    /** A new tentative track started by detection {@code d} at {@code now}. */
    static Track tentative(Detection d, long now) {
        Track t = new Track();
        t.classId = d.classId();
        t.state = TENTATIVE;
        t.hits = 1;
        t.score = d.score();
        t.startTs = now;
        t.lastSeenTs = now;
        BoxKalman.initiate(BoxKalman.measure(d.x1(), d.y1(), d.x2(), d.y2()), t.mean, t.cov);
        t.refreshBox();
        return t;
    }

    /** Takes detection {@code d} (seen at {@code now}) as this track's next measurement. */
    void absorb(Detection d, long now) {
        double[] z = BoxKalman.measure(d.x1(), d.y1(), d.x2(), d.y2());
        if (!BoxKalman.update(mean, cov, z)) {
            BoxKalman.initiate(z, mean, cov);
        }
        if (state == LOST) {
            state = TRACKED;
        }
        hits = hits == Integer.MAX_VALUE ? hits : hits + 1;
        score = d.score();
        lastSeenTs = now;
        refreshBox();
    }

    void refreshBox() {
        double[] c = BoxKalman.corners(mean);
        System.arraycopy(c, 0, box, 0, 4);
    }

    Track copy() {
        Track c = new Track();
        c.id = id;
        c.classId = classId;
        c.state = state;
        c.hits = hits;
        c.score = score;
        c.startTs = startTs;
        c.lastSeenTs = lastSeenTs;
        System.arraycopy(mean, 0, c.mean, 0, mean.length);
        System.arraycopy(cov, 0, c.cov, 0, cov.length);
        System.arraycopy(box, 0, c.box, 0, box.length);
        return c;
    }

    boolean confirmed() {
        return state != TENTATIVE;
    }
}
