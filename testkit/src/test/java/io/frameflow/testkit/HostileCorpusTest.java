package io.frameflow.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameflow.testkit.HostileCorpus.HostileRecord;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HostileCorpusTest {

    private static final long NOW = 1_790_000_000_000L;
    private static List<SharedFrames.SharedFrame> frames;

    @BeforeAll
    static void load() {
        frames = SharedFrames.load();
    }

    @Test
    void sameSeedSameRecordsAndEveryKindIsPresent() {
        List<HostileRecord> a = HostileCorpus.mixedTraffic(7, frames, NOW, 1000);
        List<HostileRecord> b = HostileCorpus.mixedTraffic(7, frames, NOW, 1000);
        assertThat(a).hasSize(frames.size() + 1000).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            HostileRecord x = a.get(i);
            HostileRecord y = b.get(i);
            assertThat(y.kind()).isEqualTo(x.kind());
            assertThat(y.key()).isEqualTo(x.key());
            assertThat(y.value()).isEqualTo(x.value());
            assertThat(y.timestamp()).isEqualTo(x.timestamp());
            assertThat(y.headers()).isEqualTo(x.headers());
            assertThat(y.expected()).isEqualTo(x.expected());
        }
        Map<String, Long> byKind =
                a.stream()
                        .collect(
                                Collectors.groupingBy(
                                        HostileRecord::kind, TreeMap::new, Collectors.counting()));
        assertThat(byKind.keySet())
                .containsAll(HostileCorpus.kinds())
                .contains("real-frame")
                .hasSize(HostileCorpus.kinds().size() + 1);
        assertThat(byKind.get("real-frame")).isEqualTo(frames.size());
        // another seed gives other records
        List<HostileRecord> c = HostileCorpus.mixedTraffic(8, frames, NOW, 1000);
        assertThat(c.stream().map(HostileRecord::kind).toList())
                .isNotEqualTo(a.stream().map(HostileRecord::kind).toList());
    }

    @Test
    void outcomesAreWellFormedAndNegativeTimestampsCannotBeBuilt() {
        List<HostileRecord> all = HostileCorpus.mixedTraffic(3, frames, NOW, 1000);
        for (HostileRecord r : all) {
            assertThat(r.expected())
                    .as(r.toString())
                    .matches("frame|dlq:[a-z-]+|rejected-by-broker|rejected-by-client");
            if (r.timestamp() < 0) {
                assertThat(r.expected()).isEqualTo(HostileCorpus.REJECTED_BY_CLIENT);
                assertThatThrownBy(() -> r.toProducerRecord("t"))
                        .isInstanceOf(IllegalArgumentException.class);
            } else {
                assertThat(r.toProducerRecord("t").timestamp()).isEqualTo(r.timestamp());
            }
        }
        HostileRecord huge =
                all.stream().filter(r -> r.kind().equals("jpeg-10000x10000")).findFirst().get();
        // a real 10000x10000 image, small on the wire
        assertThat(huge.value().length).isLessThan(2 * 1024 * 1024);
        int sof = ImageCrafting.segmentStart(huge.value(), 0xC0, 0xC2);
        assertThat(huge.value()[sof + 5] & 0xFF).isEqualTo(10_000 >> 8);
        HostileRecord cmyk =
                all.stream().filter(r -> r.kind().equals("cmyk-jpeg")).findFirst().get();
        assertThat(cmyk.value()[ImageCrafting.segmentStart(cmyk.value(), 0xC0, 0xC2) + 9])
                .as("components")
                .isEqualTo((byte) 4);
        assertThatThrownBy(() -> HostileCorpus.mixedTraffic(1, frames, NOW, 5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
