package io.frameflow.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.WindowStats;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CameraStateTest {

    private static WindowStats window(long end, double avg, int max) {
        return new WindowStats(
                "c",
                end - 5000,
                end,
                50,
                10,
                0,
                Map.of("person", new WindowStats.ClassCount(avg, max, 0)),
                null,
                null);
    }

    @Test
    void keepsTheNewestWindowAndIgnoresLateOlderOnes() {
        CameraState c = new CameraState("c", 60_000);
        c.onStats(window(10_000, 1, 2));
        c.onStats(window(15_000, 2, 3));
        c.onStats(window(5_000, 9, 9));
        assertThat(c.latestStats().windowEnd()).isEqualTo(15_000);
        assertThat(c.history())
                .containsExactly(
                        new CameraState.HistoryPoint(10_000, 1, 2),
                        new CameraState.HistoryPoint(15_000, 2, 3));
    }

    @Test
    void historyCoversOnlyTheConfiguredSpan() {
        CameraState c = new CameraState("c", 60_000);
        for (long end = 5_000; end <= 300_000; end += 5_000) {
            c.onStats(window(end, 1, 1));
        }
        assertThat(c.history()).hasSize(13); // 240 000 .. 300 000
        assertThat(c.history().get(0).windowEnd()).isEqualTo(240_000);
    }

    @Test
    void aWindowWithoutPersonsCountsZero() {
        CameraState c = new CameraState("c", 60_000);
        c.onStats(new WindowStats("c", 0, 5000, 1, 1, 0, Map.of(), null, null));
        assertThat(c.history()).containsExactly(new CameraState.HistoryPoint(5000, 0, 0));
    }

    @Test
    void registryCapsTheNumberOfCameras() {
        CameraRegistry r = new CameraRegistry(2, 60_000);
        assertThat(r.getOrCreate("b")).isPresent();
        assertThat(r.getOrCreate("a")).isPresent();
        assertThat(r.getOrCreate("c")).isEmpty();
        assertThat(r.getOrCreate("a")).isPresent();
        assertThat(r.all()).extracting(CameraState::camera).containsExactly("a", "b");
        assertThat(r.refusedRecords()).isEqualTo(1);
    }

    @Test
    void pathsAreDecodedPerSegmentAndDotSegmentsRefused() {
        assertThat(ViewerServer.segments("/stream/cam%2F1")).containsExactly("stream", "cam/1");
        assertThat(ViewerServer.segments("/api//stats/")).containsExactly("api", "stats");
        assertThat(ViewerServer.segments("/stream/a+b")).containsExactly("stream", "a+b");
        assertThat(ViewerServer.segments("/")).isEmpty();
        for (String bad : new String[] {"/../etc/passwd", "/%2e%2e/x", "/a/./b", "/a%00b"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ViewerServer.segments(bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
