package io.frameflow.operators.scene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameflow.records.CameraEvent;
import io.frameflow.records.Detection;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.settings.CameraSettings;
import io.frameflow.records.settings.Line;
import io.frameflow.records.settings.Point;
import io.frameflow.records.settings.Polygon;
import io.frameflow.records.settings.Zone;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Synthetic tracks against lines and zones on a 1000 x 500 frame: each test moves boxes whose
 * anchor (bottom centre) is given in pixels, so every expected event follows from the geometry by
 * hand.
 */
class SceneRulesTest {

    private static final int W = 1000;
    private static final int H = 500;
    private static final long BUFFER_MS = 1000;

    /** A vertical door at x = 500 px from top to bottom: left of a->b is x > 500 (y down). */
    private static final Line DOOR = new Line("door", new Point(0.5, 0), new Point(0.5, 1));

    /** The bottom-right quarter: x 500..1000 px, y 250..500 px. */
    private static final Zone COUNTER =
            new Zone(
                    "counter",
                    Polygon.of(
                            new Point(0.5, 0.5),
                            new Point(1, 0.5),
                            new Point(1, 1),
                            new Point(0.5, 1)),
                    Set.of(),
                    2.0);

    private final SceneRules rules = new SceneRules();
    private SceneState state = new SceneState();
    private final List<CameraEvent> events = new ArrayList<>();
    private long seq;

    private static CameraSettings settings(List<Line> lines, List<Zone> zones) {
        return CameraSettings.builder().site("shop-1").lines(lines).zones(zones).build();
    }

    /** A person on track {@code id}, 100 px tall, whose anchor is at ({@code x}, {@code y}) px. */
    private static Detection person(long id, double x, double y) {
        return new Detection(
                "person",
                0,
                0.9f,
                (float) x - 20,
                (float) y - 100,
                (float) x + 20,
                (float) y,
                null,
                id);
    }

    private SceneRules.SceneResult frame(CameraSettings s, long ts, Detection... detections) {
        SceneRules.SceneResult r =
                rules.update(
                        s,
                        new FrameDetections("cam", seq++, ts, W, H, "m", 1, List.of(detections)),
                        BUFFER_MS,
                        state);
        events.addAll(r.events());
        return r;
    }

    private List<String> described() {
        return events.stream()
                .map(
                        e ->
                                e.type().wireName()
                                        + " "
                                        + e.name()
                                        + " #"
                                        + e.trackId()
                                        + (e.direction() == null ? "" : " " + e.direction())
                                        + (e.dwellMs() == null ? "" : " " + e.dwellMs() + "ms"))
                .toList();
    }

    @Test
    void walkingThroughTheDoorAndBackCountsInThenOut() {
        CameraSettings s = settings(List.of(DOOR), List.of());
        // from the right of x = 500 (the line's left: looking down the line, +x is on the left)
        for (int i = 0; i <= 10; i++) {
            frame(s, i * 40L, person(1, 700 - 40 * i, 300)); // 700 -> 300
        }
        for (int i = 0; i <= 10; i++) {
            frame(s, 440 + i * 40L, person(1, 300 + 40 * i, 300)); // and back
        }
        assertThat(described()).containsExactly("line-cross door #1 in", "line-cross door #1 out");
        CameraEvent in = events.get(0);
        assertThat(in.camera()).isEqualTo("cam");
        assertThat(in.site()).isEqualTo("shop-1");
        assertThat(in.label()).isEqualTo("person");
        // decided on the first frame beyond the dead band (10 px = 100 px box / 10): x = 460
        assertThat(in.x()).isEqualTo(0.46);
        assertThat(in.captureTs()).isEqualTo(6 * 40L);
        assertThat(in.seq()).isEqualTo(6);
    }

    @Test
    void aBoxJitteringOnTheLineCountsOnceWhenItFinallyCrosses() {
        CameraSettings s = settings(List.of(DOOR), List.of());
        frame(s, 0, person(1, 520, 300)); // 20 px on the left side: confirmed there
        double[] jitter = {505, 495, 509, 491, 503, 497, 508, 492};
        for (int i = 0; i < jitter.length; i++) {
            frame(s, 40L * (i + 1), person(1, jitter[i], 300)); // inside the 10 px band
        }
        assertThat(events).isEmpty();
        frame(s, 400, person(1, 480, 300)); // now 20 px on the other side
        frame(s, 440, person(1, 495, 300)); // back into the band: no new decision
        frame(s, 480, person(1, 470, 300));
        assertThat(described()).containsExactly("line-cross door #1 in");
    }

    @Test
    void passingBesideTheLinesEndIsNoCrossing() {
        Line half = new Line("half", new Point(0.5, 0.5), new Point(0.5, 1)); // y 250..500 px
        CameraSettings s = settings(List.of(half), List.of());
        frame(s, 0, person(1, 700, 100)); // above the segment's upper end
        frame(s, 40, person(1, 300, 100));
        assertThat(events).isEmpty();
        frame(s, 80, person(1, 300, 400));
        frame(s, 120, person(1, 700, 400)); // through it
        assertThat(described()).containsExactly("line-cross half #1 out");
    }

    @Test
    void aLineCountsOnlyItsClassesAndOnlyConfirmedTracks() {
        Line cars = new Line("cars", new Point(0.5, 0), new Point(0.5, 1), Set.of("car"));
        Line door = new Line("door", new Point(0.5, 0), new Point(0.5, 1), Set.of("person"));
        CameraSettings s = settings(List.of(cars, door), List.of());
        Detection car = new Detection("car", 2, 0.9f, 680, 200, 720, 300, null, 7);
        Detection carAcross = new Detection("car", 2, 0.9f, 280, 200, 320, 300, null, 7);
        frame(s, 0, car, person(1, 700, 300), person(Detection.NO_TRACK, 700, 400));
        frame(s, 40, carAcross, person(1, 300, 300), person(Detection.NO_TRACK, 300, 400));
        assertThat(described()).containsExactly("line-cross cars #7 in", "line-cross door #1 in");
    }

    @Test
    void aZoneVisitEntersLoitersOnceAndExitsWithItsDwell() {
        CameraSettings s = settings(List.of(), List.of(COUNTER));
        frame(s, 0, person(1, 700, 200)); // above the zone
        frame(s, 1000, person(1, 700, 260)); // in
        for (int t = 1040; t <= 4000; t += 40) {
            SceneRules.SceneResult r = frame(s, t, person(1, 700, 300));
            assertThat(r.occupancy()).containsEntry("counter", 1);
        }
        frame(s, 4040, person(1, 700, 245)); // 5 px out: inside the 10 px band, still in
        frame(s, 4080, person(1, 700, 230)); // 20 px out: left
        assertThat(described())
                .containsExactly(
                        "zone-enter counter #1",
                        "loiter counter #1 2000ms", // first frame at >= loiterSeconds
                        "zone-exit counter #1 3080ms");
        assertThat(frame(s, 4120, person(1, 700, 230)).occupancy()).containsEntry("counter", 0);
    }

    @Test
    void aTrackThatIsNoLongerSeenLeavesItsZonesAtItsLastSightingAfterTheBuffer() {
        CameraSettings s = settings(List.of(), List.of(COUNTER));
        frame(s, 0, person(1, 700, 300), person(2, 800, 300));
        frame(s, 500, person(2, 800, 300)); // #1 occluded or gone
        frame(s, 1000, person(2, 800, 300)); // 1000 ms unseen: not yet over the buffer
        assertThat(described()).containsExactly("zone-enter counter #1", "zone-enter counter #2");
        SceneRules.SceneResult r = frame(s, 1040, person(2, 800, 300));
        assertThat(described()).last().isEqualTo("zone-exit counter #1 0ms");
        assertThat(events.get(2).captureTs()).isZero(); // stamped with its last sighting
        assertThat(r.occupancy()).isEqualTo(Map.of("counter", 1));
        assertThat(state.trackCount()).isEqualTo(1);
        List<CameraEvent> ended = rules.endAll(s, "cam", state);
        assertThat(ended).extracting(CameraEvent::trackId).containsExactly(2L);
        assertThat(ended.get(0).dwellMs()).isEqualTo(1040);
        assertThat(state.isEmpty()).isTrue();
    }

    @Test
    void aLineMovedByNewSettingsCountsNoCrossingNobodyMade() {
        frame(settings(List.of(DOOR), List.of()), 0, person(1, 700, 300));
        Line moved = new Line("door", new Point(0.8, 0), new Point(0.8, 1)); // x = 800 px
        CameraSettings s = settings(List.of(moved), List.of());
        frame(s, 40, person(1, 700, 300)); // right of the old door, left of the new one
        frame(s, 80, person(1, 690, 300));
        assertThat(events).isEmpty();
        frame(s, 120, person(1, 850, 300));
        assertThat(described()).containsExactly("line-cross door #1 out");
    }

    @Test
    void aRemovedZoneIsForgottenWithoutAnExit() {
        frame(settings(List.of(), List.of(COUNTER)), 0, person(1, 700, 300));
        frame(settings(List.of(), List.of()), 40, person(1, 700, 300));
        assertThat(described()).containsExactly("zone-enter counter #1");
        assertThat(rules.endAll(settings(List.of(), List.of()), "cam", state)).isEmpty();
    }

    @Test
    void eventsAfterARestoreAreThoseOfAnUninterruptedRun() {
        CameraSettings s = settings(List.of(DOOR), List.of(COUNTER));
        List<List<Detection>> walk = new ArrayList<>();
        for (int i = 0; i <= 20; i++) {
            walk.add(List.of(person(3, 900 - 30 * i, 200 + 10 * i), person(4, 600, 300 + i)));
        }
        for (int i = 0; i < walk.size(); i++) {
            frame(s, i * 40L, walk.get(i).toArray(Detection[]::new));
        }
        List<String> uninterrupted = described();
        events.clear();
        state = new SceneState();
        seq = 0;
        for (int i = 0; i < walk.size(); i++) {
            if (i == 9) {
                state = SceneState.fromBytes(state.toBytes());
            }
            frame(s, i * 40L, walk.get(i).toArray(Detection[]::new));
        }
        assertThat(uninterrupted)
                .containsExactly(
                        "zone-enter counter #4",
                        "zone-enter counter #3",
                        "line-cross door #3 in",
                        "zone-exit counter #3 360ms");
        assertThat(described()).isEqualTo(uninterrupted);
    }

    @Test
    void stateFromOtherBytesIsRefused() {
        assertThatThrownBy(() -> SceneState.fromBytes(new byte[] {9, 0, 0, 0, 0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 9");
        byte[] good = new SceneState().toBytes();
        byte[] cut = new byte[good.length - 1];
        System.arraycopy(good, 0, cut, 0, cut.length);
        assertThatThrownBy(() -> SceneState.fromBytes(cut))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
