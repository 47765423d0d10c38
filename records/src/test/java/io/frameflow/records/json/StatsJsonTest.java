package io.frameflow.records.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameflow.records.WindowStats;
import io.frameflow.records.WindowStats.ClassCount;
import io.frameflow.records.WindowStats.LineCount;
import io.frameflow.records.WindowStats.Percentiles;
import io.frameflow.records.WindowStats.SceneStats;
import io.frameflow.records.WindowStats.ZoneCount;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatsJsonTest {

    private final StatsJson json = new StatsJson();

    static WindowStats example() {
        Map<String, ClassCount> counts = new LinkedHashMap<>();
        counts.put("person", new ClassCount(2.5, 4, 1));
        counts.put("car", new ClassCount(0.2, 1, 0));
        return new WindowStats(
                "cam-1",
                1_763_000_000_000L,
                1_763_000_010_000L,
                100,
                10.0,
                3,
                counts,
                new Percentiles(40, 85.5, 120, 160),
                new Percentiles(9.5, 15, 22.25, 31));
    }

    @Test
    void writesTheDocumentedFormat() {
        assertThat(new String(json.write(example()), StandardCharsets.UTF_8))
                .isEqualTo(
                        "{\"version\":1,\"camera\":\"cam-1\",\"windowStart\":1763000000000,"
                                + "\"windowEnd\":1763000010000,\"frames\":100,\"fps\":10.0,"
                                + "\"dropped\":3,\"counts\":{"
                                + "\"car\":{\"avg\":0.2,\"max\":1,\"min\":0},"
                                + "\"person\":{\"avg\":2.5,\"max\":4,\"min\":1}},"
                                + "\"latencyMs\":{\"p50\":40.0,\"p95\":85.5,\"p99\":120.0,\"max\":160.0},"
                                + "\"inferenceMs\":{\"p50\":9.5,\"p95\":15.0,\"p99\":22.25,\"max\":31.0},"
                                + "\"site\":null,\"lines\":{},\"zones\":{},\"tracks\":{}}");
    }

    @Test
    void writesAndReadsLinesZonesAndTracks() throws IOException {
        WindowStats e = example();
        WindowStats s =
                new WindowStats(
                        e.camera(),
                        e.windowStart(),
                        e.windowEnd(),
                        e.frames(),
                        e.fps(),
                        e.dropped(),
                        e.counts(),
                        e.latencyMs(),
                        e.inferenceMs(),
                        new SceneStats(
                                "shop-1",
                                Map.of("door", new LineCount(3, 1)),
                                Map.of("counter", new ZoneCount(2, 0.75, 2)),
                                Map.of("person", 4)));
        String written = new String(json.write(s), StandardCharsets.UTF_8);
        assertThat(written)
                .endsWith(
                        "\"site\":\"shop-1\",\"lines\":{\"door\":{\"in\":3,\"out\":1}},"
                                + "\"zones\":{\"counter\":{\"entries\":2,"
                                + "\"occupancy\":{\"avg\":0.75,\"max\":2}}},"
                                + "\"tracks\":{\"person\":4}}");
        assertThat(json.read(json.write(s))).isEqualTo(s);
    }

    @Test
    void aRecordWrittenBeforeLinesAndZonesExistedReadsWithout() throws IOException {
        String old =
                new String(json.write(example()), StandardCharsets.UTF_8)
                        .replace(",\"site\":null,\"lines\":{},\"zones\":{},\"tracks\":{}", "");
        assertThat(json.read(old.getBytes(StandardCharsets.UTF_8)).scene())
                .isEqualTo(SceneStats.NONE);
    }

    @Test
    void roundTripsExactly() throws IOException {
        WindowStats s = example();
        WindowStats odd =
                new WindowStats(
                        "c",
                        0,
                        1000,
                        7,
                        7.0 / 3,
                        0,
                        Map.of("person", new ClassCount(1.0 / 3, 2, 0)),
                        new Percentiles(0.1, 0.2, 0.30000000000000004, 1e-9),
                        new Percentiles(1e300, 2, 3, 4));
        assertThat(json.read(json.write(s))).isEqualTo(s);
        assertThat(json.read(json.write(odd))).isEqualTo(odd);
    }

    @Test
    void aWindowWithoutFramesHasNullPercentiles() throws IOException {
        WindowStats empty = new WindowStats("c", 0, 1000, 0, 0, 5, Map.of(), null, null);
        byte[] bytes = json.write(empty);
        assertThat(new String(bytes, StandardCharsets.UTF_8))
                .endsWith(
                        "\"counts\":{},\"latencyMs\":null,\"inferenceMs\":null,"
                                + "\"site\":null,\"lines\":{},\"zones\":{},\"tracks\":{}}");
        assertThat(json.read(bytes)).isEqualTo(empty);
    }

    @Test
    void parseErrorsNameTheField() {
        assertThatThrownBy(
                        () ->
                                json.read(
                                        ("{\"camera\":\"c\",\"windowStart\":0,\"windowEnd\":1,"
                                                        + "\"frames\":1,\"fps\":1,\"dropped\":0,"
                                                        + "\"counts\":{\"person\":{\"avg\":1}},"
                                                        + "\"latencyMs\":null,\"inferenceMs\":null}")
                                                .getBytes()))
                .isInstanceOf(IOException.class)
                .hasMessage("frames.stats JSON counts.person has no field 'max'");
    }
}
