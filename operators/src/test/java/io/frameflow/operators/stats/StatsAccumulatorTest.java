package io.frameflow.operators.stats;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import io.frameflow.operators.policy.DropEvent;
import io.frameflow.records.Detection;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.WindowStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatsAccumulatorTest {

    static FrameSample inferred(
            String camera, long ts, double latency, Map<String, Integer> counts) {
        return new FrameSample(camera, ts, false, latency, latency / 2, counts, null);
    }

    @Test
    void accumulatorAndSampleAreKryoFree() {
        assertSerializedAsPojoWithoutKryo(StatsAccumulator.class);
        assertSerializedAsPojoWithoutKryo(StatsAccumulator.ClassTally.class);
        assertSerializedAsPojoWithoutKryo(FrameSample.class);
        assertSerializedAsPojoWithoutKryo(SceneSample.class);
    }

    private static FrameSample scene(
            long ts,
            Map<String, Integer> in,
            Map<String, Integer> out,
            Map<String, Integer> entries,
            int occupancy,
            List<Long> persons) {
        return new FrameSample(
                "c",
                ts,
                false,
                10,
                5,
                Map.of("person", persons.size()),
                new SceneSample(
                        "shop-1",
                        in,
                        out,
                        entries,
                        Map.of("counter", occupancy),
                        Map.of("person", persons.stream().mapToLong(Long::longValue).toArray())));
    }

    @Test
    void linesZonesAndTracksAddUpOverTheWindowAndAcrossMerges() {
        StatsAccumulator a = new StatsAccumulator();
        a.add(scene(1, Map.of("door", 1), Map.of(), Map.of("counter", 1), 1, List.of(7L)));
        a.add(scene(2, Map.of(), Map.of(), Map.of(), 2, List.of(7L, 8L)));
        StatsAccumulator b = new StatsAccumulator();
        b.add(
                scene(
                        3,
                        Map.of("door", 1),
                        Map.of("door", 1),
                        Map.of("counter", 1),
                        2,
                        List.of(8L, 9L)));
        b.add(scene(4, Map.of(), Map.of(), Map.of(), 1, List.of(9L)));
        a.add(FrameSample.dropped(new DropEvent("c", 5, "max-fps")));

        WindowStats.SceneStats s = a.merge(b).toStats("c", 0, 1_000).scene();
        assertThat(s.site()).isEqualTo("shop-1");
        assertThat(s.lines()).containsExactly(entry("door", new WindowStats.LineCount(2, 1)));
        // occupancy 1, 2, 2, 1 over the 4 inferred frames (the dropped one has none)
        assertThat(s.zones())
                .containsExactly(entry("counter", new WindowStats.ZoneCount(2, 1.5, 2)));
        assertThat(s.tracks()).containsExactly(entry("person", 3)); // 7, 8, 9
    }

    @Test
    void framesWithoutSceneLeaveTheSceneEmpty() {
        StatsAccumulator acc = new StatsAccumulator();
        acc.add(inferred("c", 1, 10, Map.of("person", 1)));
        assertThat(acc.toStats("c", 0, 1_000).scene()).isEqualTo(WindowStats.SceneStats.NONE);
    }

    @Test
    void perClassCountsTreatAbsentClassesAsZero() {
        StatsAccumulator acc = new StatsAccumulator();
        acc.add(inferred("c", 1, 10, Map.of("person", 3, "car", 1)));
        acc.add(inferred("c", 2, 20, Map.of("person", 1)));
        acc.add(inferred("c", 3, 30, Map.of("person", 2)));
        acc.add(inferred("c", 4, 40, Map.of()));
        acc.add(FrameSample.dropped(new DropEvent("c", 5, "max-fps")));

        WindowStats s = acc.toStats("c", 0, 2_000);
        assertThat(s.frames()).isEqualTo(4);
        assertThat(s.dropped()).isEqualTo(1);
        assertThat(s.fps()).isEqualTo(2.0);
        assertThat(s.counts().get("person")).isEqualTo(new WindowStats.ClassCount(1.5, 3, 0));
        assertThat(s.counts().get("car")).isEqualTo(new WindowStats.ClassCount(0.25, 1, 0));
        assertThat(s.latencyMs().max()).isCloseTo(40, within(0.4));
        assertThat(s.inferenceMs().max()).isCloseTo(20, within(0.2));
    }

    @Test
    void mergeEqualsAddingEverythingToOne() {
        List<FrameSample> samples = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            samples.add(
                    i % 7 == 0
                            ? FrameSample.dropped(new DropEvent("c", i, "max-age"))
                            : inferred("c", i, 5 + i % 50, Map.of("person", i % 4 + 1)));
        }
        StatsAccumulator one = new StatsAccumulator();
        StatsAccumulator a = new StatsAccumulator();
        StatsAccumulator b = new StatsAccumulator();
        for (int i = 0; i < samples.size(); i++) {
            one.add(samples.get(i));
            (i < 100 ? a : b).add(samples.get(i));
        }
        assertThat(a.merge(b).toStats("c", 0, 10_000)).isEqualTo(one.toStats("c", 0, 10_000));
    }

    @Test
    void sampleFromDetectionsCountsLabels() {
        FrameDetections d =
                new FrameDetections(
                        "cam",
                        7,
                        1_000,
                        640,
                        480,
                        "m",
                        12.5,
                        List.of(
                                new Detection("person", 0, 0.9f, 0, 0, 1, 1, null),
                                new Detection("person", 0, 0.8f, 0, 0, 1, 1, null),
                                new Detection("dog", 16, 0.7f, 0, 0, 1, 1, null)));
        FrameSample s = FrameSample.inferred(d, 1_250);
        assertThat(s.latencyMs()).isEqualTo(250);
        assertThat(s.inferenceMs()).isEqualTo(12.5);
        assertThat(s.counts()).containsExactly(entry("dog", 1), entry("person", 2)); // label order
    }
}
