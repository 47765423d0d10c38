package io.frameflow.operators.track;

import io.frameflow.records.Detection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A ByteTrack multi-object tracker for one camera (Zhang et al., "ByteTrack: Multi-Object Tracking
 * by Associating Every Detection Box", ECCV 2022, arXiv:2110.06864; reference implementation
 * ifzhang/ByteTrack {@code yolox/tracker/byte_tracker.py}). Plain Java: no Flink, no I/O, not
 * thread-safe; one instance per camera. {@code docs/tracker.md} describes the algorithm, the
 * parameters and where this differs from the reference.
 *
 * <p>Per frame, {@link #update} takes the frame's detections (original-image pixels), its capture
 * time and size, and says for each detection which confirmed track it belongs to:
 *
 * <ol>
 *   <li>every track's Kalman state moves to the frame's capture time;
 *   <li>high detections (score &ge; {@code trackHighThresh}) are matched to tracked and lost
 *       confirmed tracks (IoU cost, fused with the score, limit {@code matchThresh});
 *   <li>low detections ({@code trackLowThresh} &le; score &lt; {@code trackHighThresh}) are matched
 *       to the tracked tracks still unmatched (limit {@code lowMatchThresh}); tracked tracks left
 *       over become lost;
 *   <li>tentative tracks are matched to the remaining high detections (limit {@code
 *       unconfirmedMatchThresh}); a tentative track reaching {@code minHits} detections is
 *       confirmed and gets the next id; one left unmatched is dropped;
 *   <li>remaining high detections scoring at least {@code newTrackThresh} start tentative tracks;
 *   <li>lost tracks older than {@code trackBufferMs}, or whose predicted box left the frame, go.
 * </ol>
 *
 * Detections are only ever matched to tracks of the same {@code classId}.
 */
public final class ByteTracker {

    private final TrackerSettings settings;
    private final List<Track> tracks = new ArrayList<>();
    private long nextId;
    private long lastTs = TrackerState.NO_TIME;
    private int frameWidth;
    private int frameHeight;
    private long refusedTracks;

    /** An empty tracker whose first confirmed track gets id 1. */
    public ByteTracker(TrackerSettings settings) {
        this(settings, 1);
    }

    private ByteTracker(TrackerSettings settings, long nextId) {
        this.settings = Objects.requireNonNull(settings, "settings");
        if (nextId < 1) {
            throw new IllegalArgumentException("next track id must be > 0, got " + nextId);
        }
        this.nextId = nextId;
    }

    /**
     * An empty tracker whose first confirmed track gets id {@code nextId}: for a camera whose idle
     * tracker state was cleared but whose id counter was kept, so ids never repeat.
     */
    public static ByteTracker startingAt(TrackerSettings settings, long nextId) {
        return new ByteTracker(settings, nextId);
    }

    /**
     * The tracker a {@link #snapshot()} was taken of, under {@code settings} (which may differ from
     * the ones it ran with: a smaller {@code maxTracks} drops the oldest lost, then tentative, then
     * tracked tracks).
     */
    public static ByteTracker restore(TrackerSettings settings, TrackerState state) {
        Objects.requireNonNull(state, "state");
        ByteTracker t = new ByteTracker(settings, state.nextId);
        t.frameWidth = state.frameWidth;
        t.frameHeight = state.frameHeight;
        t.lastTs = state.lastTs;
        for (Track track : state.tracks) {
            t.tracks.add(track.copy());
        }
        while (t.tracks.size() > settings.maxTracks()) {
            t.tracks.remove(Track.oldest(t.tracks, Track.LOST, Track.TENTATIVE, Track.TRACKED));
        }
        return t;
    }

    public TrackerSettings settings() {
        return settings;
    }

    /**
     * Tracks one frame.
     *
     * @param detections the frame's detections, boxes in original-image pixels; null entries, empty
     *     or non-finite boxes and scores under {@code trackLowThresh} are ignored
     * @param captureTs the frame's capture time, ms; the motion model advances by the time since
     *     the previous frame (a frame older than the previous one is tracked as if taken at the
     *     previous one's time; one older by more than {@code trackBufferMs} means the camera clock
     *     jumped back and drops all tracks)
     * @param frameWidth frame width in pixels; a change of frame size drops all tracks
     * @param frameHeight frame height in pixels
     * @return each detection's track id ({@link TrackResult#NONE} if none) and the lost tracks kept
     */
    public TrackResult update(
            List<Detection> detections, long captureTs, int frameWidth, int frameHeight) {
        Objects.requireNonNull(detections, "detections");
        if (frameWidth <= 0 || frameHeight <= 0) {
            throw new IllegalArgumentException(
                    "frame size must be positive, got " + frameWidth + "x" + frameHeight);
        }
        if (this.frameWidth != 0
                && (this.frameWidth != frameWidth || this.frameHeight != frameHeight)) {
            tracks.clear();
        }
        this.frameWidth = frameWidth;
        this.frameHeight = frameHeight;
        long now;
        double dt;
        if (lastTs == TrackerState.NO_TIME) {
            now = captureTs;
            dt = 0;
        } else if ((double) captureTs < (double) lastTs - settings.trackBufferMs()) {
            tracks.clear();
            now = captureTs;
            dt = 0;
        } else {
            now = Math.max(captureTs, lastTs);
            dt = ((double) now - lastTs) / settings.motionStepMs();
        }
        lastTs = now;

        // lost tracks past the buffer cannot be found again
        tracks.removeIf(
                t -> t.state == Track.LOST && now - t.lastSeenTs > settings.trackBufferMs());
        for (Track t : tracks) {
            BoxKalman.predict(t.mean, t.cov, dt, t.state == Track.LOST);
            t.refreshBox();
        }

        int n = detections.size();
        long[] ids = new long[n];
        double[][] boxes = new double[n][];
        List<Integer> high = new ArrayList<>();
        List<Integer> low = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Detection d = detections.get(i);
            if (d == null || BoxKalman.measure(d.x1(), d.y1(), d.x2(), d.y2()) == null) {
                continue;
            }
            float s = d.score();
            if (!(s >= settings.trackLowThresh())) {
                continue;
            }
            boxes[i] = new double[] {d.x1(), d.y1(), d.x2(), d.y2()};
            (s >= settings.trackHighThresh() ? high : low).add(i);
        }

        // 1: high detections against every confirmed track
        List<Track> pool = new ArrayList<>();
        for (Track t : tracks) {
            if (t.confirmed()) {
                pool.add(t);
            }
        }
        int[] m1 =
                LinearAssignment.match(
                        AssociationCosts.of(pool, high, detections, boxes, settings.fuseScore()),
                        settings.matchThresh());
        boolean[] highUsed = new boolean[high.size()];
        List<Track> stillTracked = new ArrayList<>();
        for (int r = 0; r < pool.size(); r++) {
            Track t = pool.get(r);
            if (m1[r] >= 0) {
                int det = high.get(m1[r]);
                highUsed[m1[r]] = true;
                t.absorb(detections.get(det), now);
                ids[det] = t.id;
            } else if (t.state == Track.TRACKED) {
                stillTracked.add(t);
            }
        }

        // 2: low detections against tracked tracks nothing matched; the rest are lost
        int[] m2 =
                LinearAssignment.match(
                        AssociationCosts.of(stillTracked, low, detections, boxes, false),
                        settings.lowMatchThresh());
        for (int r = 0; r < stillTracked.size(); r++) {
            Track t = stillTracked.get(r);
            if (m2[r] >= 0) {
                int det = low.get(m2[r]);
                t.absorb(detections.get(det), now);
                ids[det] = t.id;
            } else {
                t.state = Track.LOST;
            }
        }

        // 3: tentative tracks against the high detections left; unmatched tentative ones go
        List<Integer> highLeft = new ArrayList<>();
        for (int k = 0; k < high.size(); k++) {
            if (!highUsed[k]) {
                highLeft.add(high.get(k));
            }
        }
        List<Track> tentative = new ArrayList<>();
        for (Track t : tracks) {
            if (t.state == Track.TENTATIVE) {
                tentative.add(t);
            }
        }
        int[] m3 =
                LinearAssignment.match(
                        AssociationCosts.of(
                                tentative, highLeft, detections, boxes, settings.fuseScore()),
                        settings.unconfirmedMatchThresh());
        boolean[] leftUsed = new boolean[highLeft.size()];
        for (int r = 0; r < tentative.size(); r++) {
            Track t = tentative.get(r);
            if (m3[r] >= 0) {
                int det = highLeft.get(m3[r]);
                leftUsed[m3[r]] = true;
                t.absorb(detections.get(det), now);
                if (t.hits >= settings.minHits()) {
                    confirm(t);
                    ids[det] = t.id;
                }
            } else {
                tracks.remove(t);
            }
        }

        // 4: new tentative tracks from the best remaining high detections, as room allows
        List<Integer> fresh = new ArrayList<>();
        for (int k = 0; k < highLeft.size(); k++) {
            int det = highLeft.get(k);
            if (!leftUsed[k] && detections.get(det).score() >= settings.newTrackThresh()) {
                fresh.add(det);
            }
        }
        fresh.sort(
                Comparator.comparingDouble((Integer det) -> -detections.get(det).score())
                        .thenComparingInt(det -> det));
        for (int det : fresh) {
            if (tracks.size() >= settings.maxTracks() && !Track.evictOldestLost(tracks)) {
                refusedTracks++;
                continue;
            }
            Track t = Track.tentative(detections.get(det), now);
            tracks.add(t);
            if (settings.minHits() == 1) {
                confirm(t);
                ids[det] = t.id;
            }
        }

        // 5: a lost track past the buffer (lost now after a long frame gap), or whose predicted
        // box left the frame, cannot be found again
        tracks.removeIf(
                t ->
                        t.state == Track.LOST
                                && (now - t.lastSeenTs > settings.trackBufferMs()
                                        || TrackBoxes.clipped(t.box, frameWidth, frameHeight)
                                                == null));

        List<TrackBox> lost = new ArrayList<>();
        for (Track t : tracks) {
            TrackBox b =
                    t.state == Track.LOST ? TrackBoxes.of(t, t.box, frameWidth, frameHeight) : null;
            if (b != null) {
                lost.add(b);
            }
        }
        return new TrackResult(ids, Collections.unmodifiableList(lost));
    }

    /**
     * The boxes of the confirmed tracks (tracked, and lost but kept) as the motion model predicts
     * them at {@code captureTs}, without consuming detections or changing the tracker: for frames
     * that are not inferred. A lost track that would be past its buffer at {@code captureTs}, or
     * whose predicted box is outside the frame, is left out.
     */
    public List<TrackBox> predict(long captureTs) {
        return boxesAt(captureTs, true);
    }

    /**
     * The boxes of the confirmed tracks where the last update left them, at {@code captureTs} (lost
     * tracks past their buffer left out): for frames that did not change, on which nothing moved,
     * so the motion model must not carry boxes on.
     */
    public List<TrackBox> current(long captureTs) {
        return boxesAt(captureTs, false);
    }

    private List<TrackBox> boxesAt(long captureTs, boolean moving) {
        if (lastTs == TrackerState.NO_TIME) {
            return List.of();
        }
        double dt =
                moving ? Math.max(0, ((double) captureTs - lastTs) / settings.motionStepMs()) : 0;
        return TrackBoxes.confirmed(
                tracks, dt, captureTs, settings.trackBufferMs(), frameWidth, frameHeight);
    }

    /** A copy of the whole state, for {@link TrackerState#toBytes()}. */
    public TrackerState snapshot() {
        List<Track> copies = new ArrayList<>(tracks.size());
        for (Track t : tracks) {
            copies.add(t.copy());
        }
        return new TrackerState(frameWidth, frameHeight, lastTs, nextId, copies);
    }

    /**
     * No tracks at all (tentative, tracked or lost): the state worth keeping is just {@link
     * #nextId()} (see {@link #startingAt}).
     */
    public boolean isIdle() {
        return tracks.isEmpty();
    }

    /**
     * The capture time after which this tracker, if it got no more detections, would hold no track:
     * the latest {@code lastSeen + trackBufferMs} of its confirmed tracks, or the last frame's time
     * when it only holds tentative tracks; {@link Long#MIN_VALUE} when it is idle already.
     */
    public long idleAfter() {
        long t = Long.MIN_VALUE;
        for (Track track : tracks) {
            t =
                    Math.max(
                            t,
                            track.confirmed()
                                    ? track.lastSeenTs + settings.trackBufferMs()
                                    : lastTs);
        }
        return t;
    }

    /** Tracks held: tentative, tracked and lost. */
    public int trackCount() {
        return tracks.size();
    }

    /** Confirmed tracks held: tracked and lost. */
    public int confirmedTrackCount() {
        int n = 0;
        for (Track t : tracks) {
            if (t.confirmed()) {
                n++;
            }
        }
        return n;
    }

    /** The id the next confirmed track will get. */
    public long nextId() {
        return nextId;
    }

    /** Size of {@link #snapshot()}'s binary form, bytes. */
    public int stateBytes() {
        return TrackerState.sizeBytes(tracks.size());
    }

    /**
     * New tracks not started since this instance was made because {@code maxTracks} were held and
     * none of them was lost (not part of the state).
     */
    public long refusedTracks() {
        return refusedTracks;
    }

    private void confirm(Track t) {
        t.id = nextId++;
        t.state = Track.TRACKED;
    }

    @Override
    public String toString() {
        return String.format(
                "ByteTracker{tracks=%d, confirmed=%d, nextId=%d, lastTs=%s, frame=%dx%d}",
                tracks.size(),
                confirmedTrackCount(),
                nextId,
                lastTs == TrackerState.NO_TIME ? "none" : Long.toString(lastTs),
                frameWidth,
                frameHeight);
    }
}
