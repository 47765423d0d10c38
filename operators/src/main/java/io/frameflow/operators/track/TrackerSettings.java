package io.frameflow.operators.track;

import java.io.Serializable;
import java.util.Locale;
import java.util.Map;

/**
 * Parameters of a {@link ByteTracker}, immutable and validated. {@link #DEFAULTS} follows the
 * ByteTrack reference (track_thresh 0.5, new tracks at 0.6, match_thresh 0.8, 0.5 for the low-score
 * stage, 0.7 for unconfirmed tracks, a 30-frame buffer at 30 fps); a camera overrides single values
 * with the {@code with...} methods or {@link #withOverrides(Map)}. See {@code docs/tracker.md}.
 *
 * @param trackHighThresh detections scoring at least this are "high" (first and third stage, new
 *     tracks)
 * @param trackLowThresh detections scoring at least this but under {@code trackHighThresh} are
 *     "low": they only keep tracked objects alive (second stage); anything lower is ignored
 * @param newTrackThresh an unmatched high detection starts a (tentative) track only when it scores
 *     at least this
 * @param matchThresh largest cost (1 - IoU, or 1 - IoU x score when {@code fuseScore}) of a match
 *     in the first stage: high detections against tracked and lost tracks
 * @param lowMatchThresh largest cost (1 - IoU) in the second stage: low detections against the
 *     still unmatched tracked tracks
 * @param unconfirmedMatchThresh largest cost in the third stage: tentative tracks against the
 *     remaining high detections
 * @param fuseScore whether the first and third stage multiply IoU by the detection score, as the
 *     reference does outside its MOT20 mode
 * @param minHits detections (in consecutive updates) a track needs before it is confirmed and gets
 *     an id; 1 confirms a track on its first detection
 * @param trackBufferMs how long a lost confirmed track is kept (capture time since it was last
 *     matched) before it is dropped; 0 drops it at once
 * @param maxTracks most tracks (tentative, tracked and lost together) one tracker holds; bounds the
 *     state size
 * @param motionStepMs the time step the Kalman noise weights are calibrated for (the reference's
 *     frame at 30 fps): a gap of {@code d} ms moves the motion model {@code d / motionStepMs} steps
 */
public record TrackerSettings(
        float trackHighThresh,
        float trackLowThresh,
        float newTrackThresh,
        float matchThresh,
        float lowMatchThresh,
        float unconfirmedMatchThresh,
        boolean fuseScore,
        int minHits,
        long trackBufferMs,
        int maxTracks,
        double motionStepMs)
        implements Serializable {

    /** Upper bound of {@link #maxTracks()}: also what a restored state may hold at most. */
    public static final int MAX_TRACKS_LIMIT = 4096;

    /** Upper bound of {@link #trackBufferMs()}: one hour. */
    public static final long MAX_TRACK_BUFFER_MS = 3_600_000L;

    /** Upper bound of {@link #minHits()}. */
    public static final int MAX_MIN_HITS = 1000;

    /** The ByteTrack reference values; {@code minHits} 2, a 1 s buffer, 256 tracks. */
    public static final TrackerSettings DEFAULTS =
            new TrackerSettings(
                    0.5f, 0.1f, 0.6f, 0.8f, 0.5f, 0.7f, true, 2, 1000L, 256, 1000.0 / 30);

    public TrackerSettings {
        unit("trackHighThresh", trackHighThresh);
        unit("trackLowThresh", trackLowThresh);
        unit("newTrackThresh", newTrackThresh);
        unit("matchThresh", matchThresh);
        unit("lowMatchThresh", lowMatchThresh);
        unit("unconfirmedMatchThresh", unconfirmedMatchThresh);
        if (trackLowThresh > trackHighThresh) {
            throw new IllegalArgumentException(
                    "tracker trackLowThresh ("
                            + trackLowThresh
                            + ") must not be above trackHighThresh ("
                            + trackHighThresh
                            + ")");
        }
        if (newTrackThresh < trackHighThresh) {
            throw new IllegalArgumentException(
                    "tracker newTrackThresh ("
                            + newTrackThresh
                            + ") must not be below trackHighThresh ("
                            + trackHighThresh
                            + "): only high detections start tracks");
        }
        if (minHits < 1 || minHits > MAX_MIN_HITS) {
            throw new IllegalArgumentException(
                    "tracker minHits must be 1.." + MAX_MIN_HITS + ", got " + minHits);
        }
        if (trackBufferMs < 0 || trackBufferMs > MAX_TRACK_BUFFER_MS) {
            throw new IllegalArgumentException(
                    "tracker trackBufferMs must be 0.."
                            + MAX_TRACK_BUFFER_MS
                            + " (one hour), got "
                            + trackBufferMs);
        }
        if (maxTracks < 1 || maxTracks > MAX_TRACKS_LIMIT) {
            throw new IllegalArgumentException(
                    "tracker maxTracks must be 1.." + MAX_TRACKS_LIMIT + ", got " + maxTracks);
        }
        if (!(motionStepMs >= 1 && motionStepMs <= 10_000)) {
            throw new IllegalArgumentException(
                    "tracker motionStepMs must be 1..10000 ms, got " + motionStepMs);
        }
    }

    private static void unit(String name, float value) {
        if (!(value > 0 && value <= 1)) {
            throw new IllegalArgumentException(
                    "tracker " + name + " must be in (0, 1], got " + value);
        }
    }

    public TrackerSettings withTrackHighThresh(float v) {
        return new TrackerSettings(
                v,
                trackLowThresh,
                newTrackThresh,
                matchThresh,
                lowMatchThresh,
                unconfirmedMatchThresh,
                fuseScore,
                minHits,
                trackBufferMs,
                maxTracks,
                motionStepMs);
    }

    public TrackerSettings withTrackLowThresh(float v) {
        return new TrackerSettings(
                trackHighThresh,
                v,
                newTrackThresh,
                matchThresh,
                lowMatchThresh,
                unconfirmedMatchThresh,
                fuseScore,
                minHits,
                trackBufferMs,
                maxTracks,
                motionStepMs);
    }

    public TrackerSettings withNewTrackThresh(float v) {
        return new TrackerSettings(
                trackHighThresh,
                trackLowThresh,
                v,
                matchThresh,
                lowMatchThresh,
                unconfirmedMatchThresh,
                fuseScore,
                minHits,
                trackBufferMs,
                maxTracks,
                motionStepMs);
    }

    public TrackerSettings withMatchThresh(float v) {
        return new TrackerSettings(
                trackHighThresh,
                trackLowThresh,
                newTrackThresh,
                v,
                lowMatchThresh,
                unconfirmedMatchThresh,
                fuseScore,
                minHits,
                trackBufferMs,
                maxTracks,
                motionStepMs);
    }

    public TrackerSettings withLowMatchThresh(float v) {
        return new TrackerSettings(
                trackHighThresh,
                trackLowThresh,
                newTrackThresh,
                matchThresh,
                v,
                unconfirmedMatchThresh,
                fuseScore,
                minHits,
                trackBufferMs,
                maxTracks,
                motionStepMs);
    }

    public TrackerSettings withUnconfirmedMatchThresh(float v) {
        return new TrackerSettings(
                trackHighThresh,
                trackLowThresh,
                newTrackThresh,
                matchThresh,
                lowMatchThresh,
                v,
                fuseScore,
                minHits,
                trackBufferMs,
                maxTracks,
                motionStepMs);
    }

    public TrackerSettings withFuseScore(boolean v) {
        return new TrackerSettings(
                trackHighThresh,
                trackLowThresh,
                newTrackThresh,
                matchThresh,
                lowMatchThresh,
                unconfirmedMatchThresh,
                v,
                minHits,
                trackBufferMs,
                maxTracks,
                motionStepMs);
    }

    public TrackerSettings withMinHits(int v) {
        return new TrackerSettings(
                trackHighThresh,
                trackLowThresh,
                newTrackThresh,
                matchThresh,
                lowMatchThresh,
                unconfirmedMatchThresh,
                fuseScore,
                v,
                trackBufferMs,
                maxTracks,
                motionStepMs);
    }

    public TrackerSettings withTrackBufferMs(long v) {
        return new TrackerSettings(
                trackHighThresh,
                trackLowThresh,
                newTrackThresh,
                matchThresh,
                lowMatchThresh,
                unconfirmedMatchThresh,
                fuseScore,
                minHits,
                v,
                maxTracks,
                motionStepMs);
    }

    public TrackerSettings withMaxTracks(int v) {
        return new TrackerSettings(
                trackHighThresh,
                trackLowThresh,
                newTrackThresh,
                matchThresh,
                lowMatchThresh,
                unconfirmedMatchThresh,
                fuseScore,
                minHits,
                trackBufferMs,
                v,
                motionStepMs);
    }

    public TrackerSettings withMotionStepMs(double v) {
        return new TrackerSettings(
                trackHighThresh,
                trackLowThresh,
                newTrackThresh,
                matchThresh,
                lowMatchThresh,
                unconfirmedMatchThresh,
                fuseScore,
                minHits,
                trackBufferMs,
                maxTracks,
                v);
    }

    /**
     * These settings with some values replaced, keyed by component name ({@code minHits}, {@code
     * trackBufferMs}, ...), values as text: the shape of a per-camera override read from
     * configuration. The result is validated as a whole.
     *
     * @throws IllegalArgumentException naming the key for an unknown key or an unreadable value, or
     *     the validation message
     */
    public TrackerSettings withOverrides(Map<String, String> overrides) {
        TrackerSettings s = this;
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String key = e.getKey().trim();
            String value = e.getValue() == null ? "" : e.getValue().trim();
            try {
                s =
                        switch (key) {
                            case "trackHighThresh" -> s.withTrackHighThresh(parseFloat(value));
                            case "trackLowThresh" -> s.withTrackLowThresh(parseFloat(value));
                            case "newTrackThresh" -> s.withNewTrackThresh(parseFloat(value));
                            case "matchThresh" -> s.withMatchThresh(parseFloat(value));
                            case "lowMatchThresh" -> s.withLowMatchThresh(parseFloat(value));
                            case "unconfirmedMatchThresh" ->
                                    s.withUnconfirmedMatchThresh(parseFloat(value));
                            case "fuseScore" -> s.withFuseScore(parseBoolean(value));
                            case "minHits" -> s.withMinHits(Integer.parseInt(value));
                            case "trackBufferMs" -> s.withTrackBufferMs(Long.parseLong(value));
                            case "maxTracks" -> s.withMaxTracks(Integer.parseInt(value));
                            case "motionStepMs" -> s.withMotionStepMs(Double.parseDouble(value));
                            default ->
                                    throw new IllegalArgumentException(
                                            "unknown tracker setting '"
                                                    + key
                                                    + "'; known: trackHighThresh, trackLowThresh,"
                                                    + " newTrackThresh, matchThresh,"
                                                    + " lowMatchThresh, unconfirmedMatchThresh,"
                                                    + " fuseScore, minHits, trackBufferMs,"
                                                    + " maxTracks, motionStepMs");
                        };
            } catch (NumberFormatException nfe) {
                throw new IllegalArgumentException(
                        "tracker setting "
                                + key
                                + "='"
                                + value
                                + "' is not "
                                + (key.equals("fuseScore") ? "true or false" : "a number"),
                        nfe);
            }
        }
        return s;
    }

    private static float parseFloat(String v) {
        return Float.parseFloat(v);
    }

    private static boolean parseBoolean(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new NumberFormatException(v);
        };
    }
}
