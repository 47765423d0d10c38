package io.frameflow.operators.track;

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
