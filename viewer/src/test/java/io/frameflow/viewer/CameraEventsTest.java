package io.frameflow.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.CameraEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CameraEventsTest {

    private static long version;

    private static LatestFrame.Frame frame(long ts, long seq) {
        return new LatestFrame.Frame(++version, new byte[] {(byte) seq}, ts, seq, "m");
    }

    private static CameraEvent cross(String line, long track, long ts, long seq, String direction) {
        return new CameraEvent(
                CameraEvent.Type.LINE_CROSS,
                "c",
                null,
                line,
                track,
                "person",
                ts,
                seq,
                direction,
                null,
                0.5,
                0.5);
    }

    private static CameraEvent zone(CameraEvent.Type type, String zone, long track, long ts) {
        return new CameraEvent(
                type,
                "c",
                "s",
                zone,
                track,
                "person",
                ts,
                -1,
                null,
                type == CameraEvent.Type.ZONE_ENTER ? null : 1000L,
                0.5,
                0.5);
    }

    @Test
    void theSnapshotIsTheFrameWithTheEventsSeqElseTheClosestInTime() {
        CameraEvents events = new CameraEvents();
        LatestFrame.Frame f10 = frame(1000, 10);
        LatestFrame.Frame f11 = frame(1200, 11);
        LatestFrame.Frame f12 = frame(1400, 12);
        events.onFrame(f10);
        events.onFrame(f11);
        events.onFrame(f12);
        events.onEvent(cross("door", 1, 1200, 11, "in"));
        events.onEvent(cross("door", 2, 1390, -1, "out")); // no seq: the closest capture time
        List<Map<String, Object>> newest = events.newest(e -> true, 10);
        assertThat(newest).extracting(m -> m.get("trackId")).containsExactly(2L, 1L);
        assertThat(events.snapshot((Long) newest.get(1).get("id"))).isSameAs(f11);
        assertThat(events.snapshot((Long) newest.get(0).get("id"))).isSameAs(f12);
    }

    @Test
    void anEventReadBeforeItsFrameWaitsForIt() {
        // events come with the checkpoint, frames may come later when written exactly-once too
        CameraEvents events = new CameraEvents();
        events.onFrame(frame(1000, 10));
        events.onEvent(cross("door", 1, 1400, 12, "in"));
        long id = (Long) events.newest(e -> true, 1).get(0).get("id");
        assertThat(events.snapshot(id)).isNull();
        assertThat(events.newest(e -> true, 1).get(0).get("snapshot")).isEqualTo(false);
        events.onFrame(frame(1200, 11));
        assertThat(events.snapshot(id)).as("frame 11 is before the event").isNull();
        LatestFrame.Frame f12 = frame(1400, 12);
        events.onFrame(f12);
        assertThat(events.snapshot(id)).isSameAs(f12);
        assertThat(events.newest(e -> true, 1).get(0).get("snapshot")).isEqualTo(true);
    }

    @Test
    void countsLinesByDirectionAndZonesByWhoIsInside() {
        CameraEvents events = new CameraEvents();
        events.onEvent(cross("door", 1, 1000, -1, "in"));
        events.onEvent(cross("door", 2, 1100, -1, "in"));
        events.onEvent(cross("door", 1, 1200, -1, "out"));
        events.onEvent(zone(CameraEvent.Type.ZONE_ENTER, "counter", 1, 1000));
        events.onEvent(zone(CameraEvent.Type.ZONE_ENTER, "counter", 2, 1000));
        events.onEvent(zone(CameraEvent.Type.LOITER, "counter", 2, 1500));
        events.onEvent(zone(CameraEvent.Type.ZONE_EXIT, "counter", 1, 2000));
        assertThat(events.lineCounts())
                .containsExactly(Map.entry("door", new CameraEvents.LineCount(2, 1)));
        assertThat(events.zoneCounts())
                .containsExactly(Map.entry("counter", new CameraEvents.ZoneCount(1, 2, 1)));
        assertThat(events.received()).isEqualTo(7);
    }

    @Test
    void filtersAndBoundsTheEventsKept() {
        CameraEvents events = new CameraEvents();
        for (int i = 0; i < CameraEvents.MAX_EVENTS + 50; i++) {
            events.onEvent(cross(i % 2 == 0 ? "a" : "b", i, 1000 + i, -1, "in"));
        }
        assertThat(events.newest(e -> true, 1000)).hasSize(CameraEvents.MAX_EVENTS);
        List<Map<String, Object>> onlyB = events.newest(e -> e.name().equals("b"), 5);
        assertThat(onlyB).hasSize(5).allSatisfy(m -> assertThat(m.get("name")).isEqualTo("b"));
        assertThat(onlyB.get(0).get("trackId")).isEqualTo((long) CameraEvents.MAX_EVENTS + 49);
        assertThat(events.lineCounts().get("a").in() + events.lineCounts().get("b").in())
                .as("counts are not bounded by the events kept")
                .isEqualTo(CameraEvents.MAX_EVENTS + 50);
    }

    @Test
    void keepsOnlyTheLastSecondsOfFrames() {
        CameraEvents events = new CameraEvents();
        for (int i = 0; i < 400; i++) {
            events.onFrame(frame(i * 200L, i)); // 80 s at 5 fps
        }
        // a crossing 60 s ago: its frame is gone, the oldest kept one is the snapshot
        events.onEvent(cross("door", 1, 20_000, 100, "in"));
        LatestFrame.Frame snap = events.snapshot(1);
        assertThat(snap).isNotNull();
        assertThat(snap.seq()).isGreaterThanOrEqualTo(400 - CameraEvents.MAX_FRAMES);
    }
}
