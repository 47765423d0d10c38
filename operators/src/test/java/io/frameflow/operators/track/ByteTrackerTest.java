package io.frameflow.operators.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameflow.records.Detection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The tracker on synthetic scenes: boxes moving at known speeds, hidden, crossing, flickering. */
class ByteTrackerTest {

    static final int W = 1280;
    static final int H = 720;
    static final long FRAME_MS = 33;

    static final int PERSON = 0;
    static final int CAR = 2;

    static Detection det(int classId, float score, double cx, double cy, double w, double h) {
        return new Detection(
                classId == PERSON ? "person" : "class" + classId,
                classId,
                score,
                (float) (cx - w / 2),
                (float) (cy - h / 2),
                (float) (cx + w / 2),
                (float) (cy + h / 2),
                null);
    }

    static Detection person(double cx, double cy) {
        return det(PERSON, 0.9f, cx, cy, 50, 120);
    }

    static TrackResult step(ByteTracker t, long ts, Detection... dets) {
        return t.update(List.of(dets), ts, W, H);
    }

    // (1) ------------------------------------------------------------------------------------

    @Test
    void twoPeopleCrossingKeepTheirIds() {
        ByteTracker t = new ByteTracker(TrackerSettings.DEFAULTS);
        long[] first = null;
        for (int f = 0; f < 80; f++) {
            // A walks right, B walks left, 8 px a frame, 10 px apart vertically: they overlap
            // almost completely around frame 40
            Detection a = person(300 + 8 * f, 400);
            Detection b = person(940 - 8 * f, 410);
            TrackResult r = step(t, f * FRAME_MS, a, b);
            if (f >= 1) {
                assertThat(r.trackIds()).doesNotContain(TrackResult.NONE);
                if (first == null) {
                    first = r.trackIds().clone();
                    assertThat(first[0]).isNotEqualTo(first[1]);
                }
                assertThat(r.trackIds()).as("frame %d", f).containsExactly(first);
            }
        }
        assertThat(t.nextId()).isEqualTo(3);
    }

    @Test
    void crossingKeepsIdsWhenTheFarOneIsHiddenWhileTheyOverlap() {
        ByteTracker t = new ByteTracker(TrackerSettings.DEFAULTS);
        long idA = 0;
        long idB = 0;
        for (int f = 0; f < 80; f++) {
            Detection a = person(300 + 8 * f, 400);
            Detection b = person(940 - 8 * f, 410);
            // B walks behind A: no detection of B in frames 36..44
            boolean hidden = f >= 36 && f <= 44;
            TrackResult r = hidden ? step(t, f * FRAME_MS, a) : step(t, f * FRAME_MS, a, b);
            if (f == 5) {
                idA = r.trackId(0);
                idB = r.trackId(1);
            }
            if (f > 5) {
                assertThat(r.trackId(0)).as("A in frame %d", f).isEqualTo(idA);
                if (!hidden) {
                    assertThat(r.trackId(1)).as("B in frame %d", f).isEqualTo(idB);
                } else {
                    assertThat(r.lost()).extracting(TrackBox::trackId).containsExactly(idB);
                }
            }
        }
        assertThat(idA).isPositive().isNotEqualTo(idB);
        assertThat(t.nextId()).isEqualTo(3);
    }

    // (2) ------------------------------------------------------------------------------------

    @Test
    void anOcclusionWithinTheBufferKeepsTheId() {
        ByteTracker t = new ByteTracker(TrackerSettings.DEFAULTS);
        long id = 0;
        for (int f = 0; f < 60; f++) {
            // walks 4 px a frame; hidden for frames 20..44 (25 frames, 825 ms < 1 s buffer)
            Detection p = person(200 + 4 * f, 360);
            TrackResult r = f >= 20 && f < 45 ? step(t, f * FRAME_MS) : step(t, f * FRAME_MS, p);
            if (f == 1) {
                id = r.trackId(0);
            }
            if (f >= 45) {
                assertThat(r.trackId(0)).as("frame %d", f).isEqualTo(id);
            }
        }
        assertThat(id).isEqualTo(1);
        assertThat(t.nextId()).isEqualTo(2);
    }

    @Test
    void anOcclusionLongerThanTheBufferGivesANewId() {
        ByteTracker t = new ByteTracker(TrackerSettings.DEFAULTS);
        int f = 0;
        for (; f < 10; f++) {
            step(t, f * FRAME_MS, person(600, 360));
        }
        // frames keep coming but the object is hidden: last seen at frame 9 (297 ms), still kept
        // at frame 39 (990 ms later), gone at frame 40 (1023 ms > the 1 s buffer) ...
        for (; f < 40; f++) {
            assertThat(step(t, f * FRAME_MS).lost()).hasSize(1);
        }
        assertThat(step(t, f * FRAME_MS).lost()).isEmpty();
        assertThat(t.isIdle()).isTrue();
        f++;
        // ... so it comes back as a new track, confirmed on its second detection
        assertThat(step(t, f * FRAME_MS, person(600, 360)).trackId(0)).isEqualTo(TrackResult.NONE);
        f++;
        assertThat(step(t, f * FRAME_MS, person(600, 360)).trackId(0)).isEqualTo(2);
    }

    @Test
    void aGapBetweenFramesIsNotAnOcclusion() {
        // no frames at all for 2 s (camera or uplink hiccup): the tracks were tracked in the last
        // frame, so the next frame still gets to match them, as in the frame-counting reference
        ByteTracker t = new ByteTracker(TrackerSettings.DEFAULTS);
        step(t, 0, person(600, 360));
        step(t, 33, person(600, 360));
        assertThat(step(t, 2_033, person(602, 360)).trackId(0)).isEqualTo(1);
        // but one that is not seen in that frame is past its buffer at once
        TrackResult r = step(t, 4_033);
        assertThat(r.lost()).isEmpty();
        assertThat(t.isIdle()).isTrue();
    }

    @Test
    void theBufferIsMeasuredInCaptureTime() {
        ByteTracker t = new ByteTracker(TrackerSettings.DEFAULTS.withTrackBufferMs(500));
        step(t, 0, person(600, 360));
        assertThat(step(t, 33, person(600, 360)).trackId(0)).isEqualTo(1);
        step(t, 66);
        // last seen at 33: still there at 533 (500 ms), gone at 534
        assertThat(t.predict(533)).extracting(TrackBox::trackId).containsExactly(1L);
        assertThat(t.predict(534)).isEmpty();
        assertThat(step(t, 533, person(600, 360)).trackId(0)).isEqualTo(1);
    }

    // (3) ------------------------------------------------------------------------------------

    @Test
    void oneMissedDetectionDoesNotChangeTheId() {
        ByteTracker t = new ByteTracker(TrackerSettings.DEFAULTS);
        Set<Long> ids = new HashSet<>();
        for (int f = 0; f < 30; f++) {
            Detection p = person(300 + 6 * f, 300 + 2 * f);
            if (f == 15) {
                TrackResult r = step(t, f * FRAME_MS);
                // the missed frame reports the track as lost, near where the object is
                assertThat(r.lost()).hasSize(1);
                TrackBox lost = r.lost().get(0);
                assertThat(lost.lost()).isTrue();
                assertThat((lost.x1() + lost.x2()) / 2).isBetween(385f, 395f); // 300 + 6 * 15
                continue;
            }
            TrackResult r = step(t, f * FRAME_MS, p);
            if (f >= 1) {
                ids.add(r.trackId(0));
            }
        }
        assertThat(ids).containsExactly(1L);
    }

    // (4) ------------------------------------------------------------------------------------

    @Test
    void lowScoreDetectionsKeepATrackAliveButNeverStartOne() {
        ByteTracker t = new ByteTracker(TrackerSettings.DEFAULTS);
        for (int f = 0; f < 5; f++) {
            step(t, f * FRAME_MS, person(400 + 5 * f, 360));
        }
        // the detector's confidence drops to 0.3 (partly hidden): the second stage keeps the id
        for (int f = 5; f < 25; f++) {
            TrackResult r = step(t, f * FRAME_MS, det(PERSON, 0.3f, 400 + 5 * f, 360, 50, 120));
            assertThat(r.trackId(0)).as("frame %d", f).isEqualTo(1);
        }
        // a low-score object elsewhere never gets a track, even after many frames
        for (int f = 25; f < 60; f++) {
            TrackResult r =
                    step(
                            t,
                            f * FRAME_MS,
                            det(PERSON, 0.9f, 400 + 5 * f, 360, 50, 120),
                            det(PERSON, 0.3f, 1000, 200, 40, 100),
                            det(PERSON, 0.55f, 150, 600, 40, 100)); // high, below newTrackThresh
            assertThat(r.trackIds()).containsExactly(1, TrackResult.NONE, TrackResult.NONE);
        }
        assertThat(t.trackCount()).isEqualTo(1);
        // and scores under trackLowThresh are ignored altogether
        TrackResult r = step(t, 60 * FRAME_MS, det(PERSON, 0.05f, 400 + 5 * 60, 360, 50, 120));
        assertThat(r.trackId(0)).isEqualTo(TrackResult.NONE);
        assertThat(r.lost()).extracting(TrackBox::trackId).containsExactly(1L);
    }

    @Test
    void aLowScoreDetectionDoesNotReviveALostTrackButAHighOneDoes() {
        ByteTracker t = new ByteTracker(TrackerSettings.DEFAULTS);
        step(t, 0, person(600, 360));
        step(t, 33, person(600, 360));
        step(t, 66); // lost
        // as in the reference, the second stage only looks at tracks tracked in the last frame
        assertThat(step(t, 99, det(PERSON, 0.3f, 600, 360, 50, 120)).trackId(0))
                .isEqualTo(TrackResult.NONE);
        assertThat(step(t, 132, person(600, 360)).trackId(0)).isEqualTo(1);
    }

    // (5) ------------------------------------------------------------------------------------

    @Test
    void aTrackGetsItsIdOnlyAfterMinHits() {
        ByteTracker t = new ByteTracker(TrackerSettings.DEFAULTS.withMinHits(3));
        // a one-frame false positive: starts a tentative track, which dies, and burns no id
        step(t, 0, person(1000, 200));
        assertThat(step(t, 33, person(300, 360)).trackId(0)).isEqualTo(TrackResult.NONE);
        assertThat(step(t, 66, person(302, 360)).trackId(0)).isEqualTo(TrackResult.NONE);
        assertThat(t.confirmedTrackCount()).isZero();
        assertThat(t.predict(66)).isEmpty();
        assertThat(step(t, 99, person(304, 360)).trackId(0)).isEqualTo(1);
        assertThat(t.predict(99)).extracting(TrackBox::trackId).containsExactly(1L);

        // hits must be consecutive: a miss drops the tentative track and it starts over
        ByteTracker u = new ByteTracker(TrackerSettings.DEFAULTS.withMinHits(2));
        step(u, 0, person(300, 360));
        step(u, 33);
        assertThat(step(u, 66, person(300, 360)).trackId(0)).isEqualTo(TrackResult.NONE);
        assertThat(step(u, 99, person(300, 360)).trackId(0)).isEqualTo(1);

        ByteTracker v = new ByteTracker(TrackerSettings.DEFAULTS.withMinHits(1));
        assertThat(step(v, 0, person(300, 360)).trackId(0)).isEqualTo(1);
    }

    // (6) ------------------------------------------------------------------------------------

    @Test
    void restoringMidSequenceGivesTheSameIdsAsAnUninterruptedRun() {
        List<List<Detection>> frames = busyScene(new Random(42), 150);
        long[] times = irregularTimes(new Random(43), frames.size());
        List<long[]> straight =
                run(new ByteTracker(TrackerSettings.DEFAULTS), frames, times, 0, -1);
        assertThat(straight.stream().flatMapToLong(java.util.Arrays::stream).max().getAsLong())
                .as("the scene makes several tracks")
                .isGreaterThan(5);

        for (int cut : new int[] {1, 37, 75, 149}) {
            ByteTracker before = new ByteTracker(TrackerSettings.DEFAULTS);
            List<long[]> ids = run(before, frames, times, 0, cut);
            byte[] bytes = before.snapshot().toBytes();
            assertThat(bytes).hasSize(before.stateBytes());
            TrackerState state = TrackerState.fromBytes(bytes);
            assertThat(state.toBytes()).isEqualTo(bytes);
            assertThat(state.nextId()).isEqualTo(before.nextId());
            ByteTracker after = ByteTracker.restore(TrackerSettings.DEFAULTS, state);
            assertThat(after.snapshot().toBytes()).isEqualTo(bytes);
            ids.addAll(run(after, frames, times, cut, -1));
            for (int f = 0; f < frames.size(); f++) {
                assertThat(ids.get(f))
                        .as("cut %d, frame %d", cut, f)
                        .containsExactly(straight.get(f));
            }
        }
    }

    @Test
    void idsContinueFromTheCounterAfterAnIdleTrackerWasCleared() {
        ByteTracker t = new ByteTracker(TrackerSettings.DEFAULTS);
        step(t, 0, person(300, 300));
        step(t, 33, person(300, 300));
        step(t, 5_000);
        assertThat(t.isIdle()).isTrue();
        long keep = t.nextId();
        assertThat(keep).isEqualTo(2);
        ByteTracker again = ByteTracker.startingAt(TrackerSettings.DEFAULTS, keep);
        step(again, 6_000, person(300, 300));
        assertThat(step(again, 6_033, person(300, 300)).trackId(0)).isEqualTo(2);
        assertThatThrownBy(() -> ByteTracker.startingAt(TrackerSettings.DEFAULTS, 0))
                .hasMessageContaining("next track id must be > 0");
    }

    @Test
    void predictDoesNotChangeTheTracker() {
        List<List<Detection>> frames = busyScene(new Random(5), 60);
        long[] times = irregularTimes(new Random(6), frames.size());
        ByteTracker a = new ByteTracker(TrackerSettings.DEFAULTS);
        ByteTracker b = new ByteTracker(TrackerSettings.DEFAULTS);
        for (int f = 0; f < frames.size(); f++) {
            a.update(frames.get(f), times[f], W, H);
            b.update(frames.get(f), times[f], W, H);
            b.predict(times[f] + 10);
            b.predict(times[f] + 1000);
            assertThat(b.snapshot().toBytes()).isEqualTo(a.snapshot().toBytes());
        }
    }

    @Test
    void predictExtrapolatesConfirmedTracksToTheAskedTime() {
        ByteTracker t = new ByteTracker(TrackerSettings.DEFAULTS);
        // 10 px a frame (33 ms) to the right
        for (int f = 0; f < 20; f++) {
            step(t, f * FRAME_MS, person(200 + 10 * f, 300));
        }
        List<TrackBox> now = t.predict(19 * FRAME_MS);
        List<TrackBox> later = t.predict(19 * FRAME_MS + 330); // 10 frames on
        assertThat(now).hasSize(1);
        assertThat(later).hasSize(1);
        float cxNow = (now.get(0).x1() + now.get(0).x2()) / 2;
        float cxLater = (later.get(0).x1() + later.get(0).x2()) / 2;
        assertThat(cxNow).isBetween(385f, 395f);
        assertThat(cxLater - cxNow).isBetween(90f, 110f);
        assertThat(later.get(0).lost()).isFalse();
        assertThat(later.get(0).lastSeenTs()).isEqualTo(19 * FRAME_MS);
    }

    // (8) ------------------------------------------------------------------------------------

    @Test
    void stateStaysBoundedUnderAFloodOfDetections() {
        TrackerSettings s = TrackerSettings.DEFAULTS;
        ByteTracker t = new ByteTracker(s);
        Random random = new Random(8);
        long start = System.nanoTime();
        for (int f = 0; f < 40; f++) {
            List<Detection> dets = new ArrayList<>();
            // 600 boxes a frame, half at fixed places (they become tracks), half random noise
            for (int k = 0; k < 300; k++) {
                dets.add(det(k % 3, 0.9f, 20 + (k % 30) * 42, 20 + (k / 30) * 70, 30, 60));
                dets.add(
                        det(
                                k % 3,
                                0.1f + 0.9f * random.nextFloat(),
                                random.nextDouble() * W,
                                random.nextDouble() * H,
                                10 + random.nextDouble() * 100,
                                10 + random.nextDouble() * 100));
            }
            t.update(dets, f * FRAME_MS, W, H);
            assertThat(t.trackCount()).isLessThanOrEqualTo(s.maxTracks());
            assertThat(t.stateBytes()).isLessThanOrEqualTo(TrackerState.sizeBytes(s.maxTracks()));
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(t.trackCount()).isEqualTo(s.maxTracks());
        assertThat(t.snapshot().toBytes()).hasSize(TrackerState.sizeBytes(256));
        assertThat(TrackerState.sizeBytes(256)).isEqualTo(99_613);
        assertThat(ms).as("40 frames of 600 detections, ms").isLessThan(20_000);
    }

    @Test
    void whenFullTheOldestLostTrackMakesRoomAndTrackedOnesAreNeverEvicted() {
        ByteTracker t = new ByteTracker(TrackerSettings.DEFAULTS.withMaxTracks(3));
        Detection a = person(100, 300);
        Detection b = person(400, 300);
        Detection c = person(700, 300);
        step(t, 0, a, b, c);
        step(t, 33, a, b, c);
        step(t, 66, b, c); // a lost
        step(t, 99, c); // b lost
        // a new object: the oldest lost track (a) makes room
        Detection d = person(1000, 300);
        step(t, 132, c, d);
        assertThat(t.trackCount()).isEqualTo(3);
        assertThat(step(t, 165, c, d).trackIds()).containsExactly(3, 4);
        // b (lost) makes room for e; then all three are tracked, so g is refused
        Detection e = person(400, 600);
        Detection g = person(100, 600);
        step(t, 198, c, d, e);
        step(t, 231, c, d, e);
        assertThat(step(t, 264, c, d, e, g).trackIds()).containsExactly(3, 4, 5, 0);
        assertThat(t.refusedTracks()).isEqualTo(1);
        assertThat(t.trackCount()).isEqualTo(3);
    }

    // behaviour around the edges -------------------------------------------------------------

    @Test
    void tracksFollowOneClassOnly() {
        ByteTracker t = new ByteTracker(TrackerSettings.DEFAULTS);
        // a person and a car at the same place
        for (int f = 0; f < 5; f++) {
            TrackResult r =
                    step(
                            t,
                            f * FRAME_MS,
                            det(PERSON, 0.9f, 500, 300, 60, 120),
                            det(CAR, 0.9f, 500, 300, 60, 120));
            if (f >= 1) {
                assertThat(r.trackIds()).containsExactly(1, 2);
            }
        }
        // the person vanishes: the car detection does not take over the person's track
        TrackResult r = step(t, 5 * FRAME_MS, det(CAR, 0.9f, 500, 300, 60, 120));
        assertThat(r.trackIds()).containsExactly(2);
        assertThat(r.lost())
                .extracting(TrackBox::trackId, TrackBox::classId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, PERSON));
    }

    @Test
    void droppedFramesAreBridgedByTimeBasedMotion() {
        // 0.3 px per ms (10 px per 33 ms frame), boxes 50 px wide; frames arrive with gaps up to
        // 400 ms (120 px, so the last box and the new one do not overlap at all)
        long[] times = {0, 33, 66, 99, 132, 165, 198, 398, 431, 831, 864, 1164, 1197};
        ByteTracker t = new ByteTracker(TrackerSettings.DEFAULTS);
        for (int k = 0; k < times.length; k++) {
            TrackResult r = step(t, times[k], person(100 + 0.3 * times[k], 300));
            if (k >= 1) {
                assertThat(r.trackId(0)).as("frame at %d ms", times[k]).isEqualTo(1);
            }
        }
    }

    @Test
    void outOfOrderFramesAndClockJumps() {
        ByteTracker t = new ByteTracker(TrackerSettings.DEFAULTS);
        step(t, 1_000, person(300, 300));
        step(t, 1_033, person(300, 300));
        // a frame from 20 ms ago is tracked as if taken at 1033
        assertThat(step(t, 1_013, person(300, 300)).trackId(0)).isEqualTo(1);
        assertThat(step(t, 1_066, person(300, 300)).trackId(0)).isEqualTo(1);
        // the clock jumps back by more than the buffer: the old tracks cannot be compared
        step(t, -50_000, person(300, 300));
        assertThat(t.trackCount()).isEqualTo(1);
        assertThat(step(t, -49_967, person(300, 300)).trackId(0)).isEqualTo(2);
    }

    @Test
    void aNewFrameSizeDropsTheTracks() {
        ByteTracker t = new ByteTracker(TrackerSettings.DEFAULTS);
        step(t, 0, person(300, 300));
        step(t, 33, person(300, 300));
        TrackResult r = t.update(List.of(person(300, 300)), 66, 640, 360);
        assertThat(r.trackId(0)).isEqualTo(TrackResult.NONE);
        assertThat(t.trackCount()).isEqualTo(1);
        assertThatThrownBy(() -> t.update(List.of(), 99, 0, 360))
                .hasMessageContaining("frame size must be positive, got 0x360");
    }

    @Test
    void aLostTrackThatLeftTheFrameIsDropped() {
        ByteTracker t = new ByteTracker(TrackerSettings.DEFAULTS);
        // walks out to the right at 30 px a frame
        int f = 0;
        for (; 1100 + 30 * f < W + 20; f++) {
            step(t, f * FRAME_MS, person(1100 + 30 * f, 300));
        }
        assertThat(t.trackCount()).isEqualTo(1);
        for (int k = 0; k < 5 && !t.isIdle(); k++, f++) {
            step(t, f * FRAME_MS);
        }
        assertThat(t.isIdle()).isTrue();
        assertThat(t.idleAfter()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void idleAfterSaysWhenTheLastTrackWouldExpire() {
        ByteTracker t = new ByteTracker(TrackerSettings.DEFAULTS);
        step(t, 100, person(300, 300));
        assertThat(t.idleAfter()).isEqualTo(100); // only a tentative track
        step(t, 133, person(300, 300));
        assertThat(t.idleAfter()).isEqualTo(1133);
        step(t, 1134);
        assertThat(t.isIdle()).isTrue();
    }

    @Test
    void ignoredDetectionsGetNoIdAndDoNoHarm() {
        ByteTracker t = new ByteTracker(TrackerSettings.DEFAULTS);
        List<Detection> dets = new ArrayList<>();
        dets.add(null);
        dets.add(new Detection("person", 0, 0.9f, 10, 10, 10, 50, null)); // zero width
        dets.add(new Detection("person", 0, Float.NaN, 10, 10, 50, 50, null));
        dets.add(new Detection("person", 0, 0.9f, Float.NaN, 10, 50, 50, null));
        dets.add(person(300, 300));
        t.update(dets, 0, W, H);
        TrackResult r = t.update(dets, 33, W, H);
        assertThat(r.trackIds()).containsExactly(0, 0, 0, 0, 1);
        assertThat(r.tracked()).isEqualTo(1);
    }

    // helpers --------------------------------------------------------------------------------

    /** Runs frames {@code from} until {@code to} (exclusive; -1 = all) and returns their ids. */
    static List<long[]> run(
            ByteTracker t, List<List<Detection>> frames, long[] times, int from, int to) {
        List<long[]> out = new ArrayList<>();
        int end = to < 0 ? frames.size() : to;
        for (int f = from; f < end; f++) {
            out.add(t.update(frames.get(f), times[f], W, H).trackIds());
        }
        return out;
    }

    /** 33 ms frames with now and then a dropped run of frames. */
    static long[] irregularTimes(Random random, int n) {
        long[] times = new long[n];
        long ts = 1_700_000_000_000L;
        for (int i = 0; i < n; i++) {
            times[i] = ts;
            ts += random.nextInt(10) == 0 ? 33 * (2 + random.nextInt(4)) : 33;
        }
        return times;
    }

    /**
     * Eight objects of two classes bouncing around with jittered boxes and scores, some detections
     * missing, some low-score, plus a few one-frame false positives.
     */
    static List<List<Detection>> busyScene(Random random, int frames) {
        int n = 8;
        double[][] o = new double[n][];
        for (int i = 0; i < n; i++) {
            o[i] =
                    new double[] {
                        100 + random.nextDouble() * (W - 200),
                        100 + random.nextDouble() * (H - 200),
                        random.nextDouble() * 16 - 8,
                        random.nextDouble() * 8 - 4,
                        30 + random.nextDouble() * 40,
                    };
        }
        List<List<Detection>> out = new ArrayList<>();
        for (int f = 0; f < frames; f++) {
            List<Detection> dets = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                double[] p = o[i];
                p[0] += p[2];
                p[1] += p[3];
                if (p[0] < 50 || p[0] > W - 50) {
                    p[2] = -p[2];
                }
                if (p[1] < 80 || p[1] > H - 80) {
                    p[3] = -p[3];
                }
                if (random.nextInt(12) == 0) {
                    continue; // missed
                }
                float score = random.nextInt(6) == 0 ? 0.2f + random.nextFloat() * 0.3f : 0.92f;
                dets.add(
                        det(
                                i % 2 == 0 ? PERSON : CAR,
                                score,
                                p[0] + random.nextGaussian() * 1.5,
                                p[1] + random.nextGaussian() * 1.5,
                                p[4] + random.nextGaussian(),
                                p[4] * 2.2 + random.nextGaussian()));
            }
            if (random.nextInt(8) == 0) {
                dets.add(
                        det(
                                PERSON,
                                0.7f,
                                random.nextDouble() * W,
                                random.nextDouble() * H,
                                40,
                                90));
            }
            out.add(dets);
        }
        return out;
    }
}
