package io.frameflow.records.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.SiteStats;
import io.frameflow.records.WindowStats.LineCount;
import io.frameflow.records.WindowStats.ZoneCount;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SitesJsonTest {

    private final SitesJson json = new SitesJson();

    private static SiteStats example() {
        return new SiteStats(
                "shop-1",
                1_763_000_000_000L,
                1_763_000_010_000L,
                1,
                List.of("cam-1", "cam-2"),
                Map.of("cam-1/door", new LineCount(3, 1), "cam-2/door", new LineCount(0, 2)),
                Map.of("cam-1/counter", new ZoneCount(2, 0.75, 2)),
                Map.of("person", 5));
    }

    @Test
    void writesTheDocumentedFormatWithTotals() {
        assertThat(new String(json.write(example()), StandardCharsets.UTF_8))
                .isEqualTo(
                        "{\"version\":1,\"site\":\"shop-1\",\"windowStart\":1763000000000,"
                                + "\"windowEnd\":1763000010000,\"revision\":1,"
                                + "\"cameras\":[\"cam-1\",\"cam-2\"],\"in\":3,\"out\":3,"
                                + "\"occupancy\":{\"avg\":0.75,\"max\":2},"
                                + "\"lines\":{\"cam-1/door\":{\"in\":3,\"out\":1},"
                                + "\"cam-2/door\":{\"in\":0,\"out\":2}},"
                                + "\"zones\":{\"cam-1/counter\":{\"entries\":2,"
                                + "\"occupancy\":{\"avg\":0.75,\"max\":2}}},"
                                + "\"tracks\":{\"person\":5}}");
    }

    @Test
    void roundTrips() throws IOException {
        assertThat(json.read(json.write(example()))).isEqualTo(example());
    }
}
