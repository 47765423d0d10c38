package io.frameflow.records.settings;

import java.io.Serializable;

/**
 * Per-camera values for the tracker's parameters; a null field keeps the value the job was started
 * with (its tracker options). JSON: the {@code tracker} object, every field optional.
 *
 * @param highThresh score from which a detection is matched in the first round (0..1)
 * @param lowThresh score from which a detection takes part at all, in the second round (0..1)
 * @param newTrackThresh score from which an unmatched detection starts a new track (0..1)
 * @param matchThresh largest IoU distance (1 - IoU) of a match (0..1)
 * @param minHits matches a track needs before it is reported (1..100)
 * @param trackBufferMs how long a lost track is kept for re-identification, ms (0..600000)
 */
public record TrackerOverrides(
        Double highThresh,
        Double lowThresh,
        Double newTrackThresh,
        Double matchThresh,
        Integer minHits,
        Long trackBufferMs)
        implements Serializable {

    /** No override: every parameter as the job's options say. */
    public static final TrackerOverrides NONE =
            new TrackerOverrides(null, null, null, null, null, null);

    public static final int MAX_MIN_HITS = 100;
    public static final long MAX_TRACK_BUFFER_MS = 600_000;

    public TrackerOverrides {
        highThresh = positiveZero(highThresh);
        lowThresh = positiveZero(lowThresh);
        newTrackThresh = positiveZero(newTrackThresh);
        matchThresh = positiveZero(matchThresh);
        fraction(highThresh, "highThresh");
        fraction(lowThresh, "lowThresh");
        fraction(newTrackThresh, "newTrackThresh");
        fraction(matchThresh, "matchThresh");
        InvalidSettingsException.require(
                minHits == null || (minHits >= 1 && minHits <= MAX_MIN_HITS),
                SettingsReason.BAD_TRACKER,
                "minHits " + minHits + " is out of range; give a whole number from 1 to 100");
        InvalidSettingsException.require(
                trackBufferMs == null
                        || (trackBufferMs >= 0 && trackBufferMs <= MAX_TRACK_BUFFER_MS),
                SettingsReason.BAD_TRACKER,
                "trackBufferMs "
                        + trackBufferMs
                        + " is out of range; give milliseconds from 0 to 600000 (10 min)");
    }

    static Double positiveZero(Double v) {
        return v == null ? null : v + 0.0; // -0.0 -> 0.0: JSON reads both as 0.0
    }

    private static void fraction(Double v, String name) {
        InvalidSettingsException.require(
                v == null || (v >= 0 && v <= 1),
                SettingsReason.BAD_TRACKER,
                name + " " + v + " is out of range; give a number from 0 to 1");
    }

    /** Whether no parameter is overridden. */
    public boolean isEmpty() {
        return equals(NONE);
    }

    /** Field by field: this value where set, else {@code fallback}'s. */
    public TrackerOverrides orElse(TrackerOverrides fallback) {
        if (fallback == null) {
            return this;
        }
        return new TrackerOverrides(
                highThresh != null ? highThresh : fallback.highThresh,
                lowThresh != null ? lowThresh : fallback.lowThresh,
                newTrackThresh != null ? newTrackThresh : fallback.newTrackThresh,
                matchThresh != null ? matchThresh : fallback.matchThresh,
                minHits != null ? minHits : fallback.minHits,
                trackBufferMs != null ? trackBufferMs : fallback.trackBufferMs);
    }

    public double highThreshOr(double jobDefault) {
        return highThresh != null ? highThresh : jobDefault;
    }

    public double lowThreshOr(double jobDefault) {
        return lowThresh != null ? lowThresh : jobDefault;
    }

    public double newTrackThreshOr(double jobDefault) {
        return newTrackThresh != null ? newTrackThresh : jobDefault;
    }

    public double matchThreshOr(double jobDefault) {
        return matchThresh != null ? matchThresh : jobDefault;
    }

    public int minHitsOr(int jobDefault) {
        return minHits != null ? minHits : jobDefault;
    }

    public long trackBufferMsOr(long jobDefault) {
        return trackBufferMs != null ? trackBufferMs : jobDefault;
    }
}
