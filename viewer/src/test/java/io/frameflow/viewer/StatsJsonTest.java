package io.frameflow.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.frameflow.operators.model.WindowStats;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatsJsonTest {

    private static final String RECORD =
            "{\"camera\":\"cam-1\",\"windowStart\":1000,\"windowEnd\":6000,\"frames\":49,"
                    + "\"fps\":9.8,\"dropped\":1,"
                    + "\"counts\":{\"person\":{\"avg\":2.5,\"max\":4,\"min\":1},"
                    + "\"car\":{\"avg\":0.25,\"max\":1,\"min\":0}},"
                    + "\"latencyMs\":{\"p50\":80.0,\"p95\":120.5,\"p99\":150.0,\"max\":170.0},"
                    + "\"inferenceMs\":{\"p50\":20.0,\"p95\":30.0,\"p99\":35.0,\"max\":40.0}}";

    @Test
    void readsAWholeStatsRecord() {
        WindowStats s = StatsJson.parse("cam-1", RECORD.getBytes(StandardCharsets.UTF_8));
        assertThat(s)
                .isEqualTo(
                        new WindowStats(
                                "cam-1",
                                1000,
                                6000,
                                49,
                                9.8,
                                1,
                                Map.of(
                                        "person", new WindowStats.ClassCount(2.5, 4, 1),
                                        "car", new WindowStats.ClassCount(0.25, 1, 0)),
                                new WindowStats.Percentiles(80.0, 120.5, 150.0, 170.0),
                                new WindowStats.Percentiles(20.0, 30.0, 35.0, 40.0)));
    }

    @Test
    void whatTheViewerServesReadsBackTheSame() throws Exception {
        WindowStats s = StatsJson.parse("cam-1", RECORD.getBytes(StandardCharsets.UTF_8));
        byte[] served = new ObjectMapper().writeValueAsBytes(s);
        assertThat(StatsJson.parse(null, served)).isEqualTo(s);
    }

    @Test
    void takesTheCameraFromTheKeyWhenTheFieldIsMissing() {
        WindowStats s =
                StatsJson.parse(
                        "lobby",
                        "{\"windowStart\":1,\"windowEnd\":2}".getBytes(StandardCharsets.UTF_8));
        assertThat(s.camera()).isEqualTo("lobby");
        assertThat(s.counts()).isEmpty();
        assertThat(s.latencyMs()).isNull();
    }

    @Test
    void refusesWhatIsNotAStatsRecord() {
        assertThatThrownBy(() -> StatsJson.parse("c", new byte[0])).hasMessage("empty value");
        assertThatThrownBy(() -> StatsJson.parse("c", "{oops".getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> StatsJson.parse("c", "[1]".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("not a JSON object");
        assertThatThrownBy(
                        () ->
                                StatsJson.parse(
                                        "c",
                                        "{\"windowStart\":1}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("missing or non-numeric windowEnd");
        assertThatThrownBy(
                        () ->
                                StatsJson.parse(
                                        null,
                                        "{\"windowStart\":1,\"windowEnd\":2}"
                                                .getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("no camera");
    }
}
