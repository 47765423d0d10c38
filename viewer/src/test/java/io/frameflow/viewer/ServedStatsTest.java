package io.frameflow.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.WindowStats;
import io.frameflow.records.json.StatsJson;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the viewer reads from frames.stats is what it serves, in the same wire format. */
class ServedStatsTest {

    @Test
    void aWindowReadFromTheTopicIsServedInTheWireFormat() throws Exception {
        WindowStats s =
                new WindowStats(
                        "cam-1",
                        1000,
                        6000,
                        49,
                        9.8,
                        1,
                        Map.of("person", new WindowStats.ClassCount(2.5, 4, 1)),
                        new WindowStats.Percentiles(80, 120.5, 150, 170),
                        null);
        StatsJson wire = new StatsJson();
        byte[] onTopic = wire.write(s);
        CameraState camera = new CameraState("cam-1", 60_000);
        camera.onStats(wire.read(onTopic));
        String served =
                new String(
                        ViewerServer.jsonFor(Map.of("cam-1", camera.latestStats())),
                        java.nio.charset.StandardCharsets.UTF_8);
        assertThat(served).isEqualTo("{\"cam-1\":" + new String(onTopic, "UTF-8") + "}");
        assertThat(camera.history()).containsExactly(new CameraState.HistoryPoint(6000, 2.5, 4));
    }

    @Test
    void numbersTheJobCouldNotComputeAreServedAsNull() throws Exception {
        WindowStats empty = new WindowStats("c", 0, 5000, 0, Double.NaN, 0, Map.of(), null, null);
        String served =
                new String(ViewerServer.jsonFor(empty), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(served).contains("\"fps\":null").contains("\"latencyMs\":null");
    }
}
