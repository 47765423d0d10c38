package io.frameflow.operators.stats;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.SiteStats;
import io.frameflow.records.WindowStats;
import io.frameflow.records.WindowStats.LineCount;
import io.frameflow.records.WindowStats.SceneStats;
import io.frameflow.records.WindowStats.ZoneCount;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A site's window waits at most the site lateness for its cameras (arrival time), then takes later
 * cameras as revisions for as long again, then counts them as late.
 */
class SiteWindowsTest {

    private KeyedOneInputStreamOperatorTestHarness<String, WindowStats, SiteStats> harness;

    @BeforeEach
    void open() throws Exception {
        harness = harness();
        harness.open();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, WindowStats, SiteStats> harness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SiteWindows(Duration.ofSeconds(5))),
                s -> s.scene().site(),
                Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    /** Camera {@code camera}'s 10 s window from {@code start}, read at {@code arrival}. */
    private void window(String camera, long start, long in, int occupancy, long arrival)
            throws Exception {
        harness.processElement(
                new StreamRecord<>(
                        new WindowStats(
                                camera,
                                start,
                                start + 10_000,
                                100,
                                10,
                                0,
                                Map.of(),
                                null,
                                null,
                                new SceneStats(
                                        "shop",
                                        Map.of("door", new LineCount(in, 0)),
                                        Map.of("counter", new ZoneCount(1, occupancy, occupancy)),
                                        Map.of("person", (int) in))),
                        arrival));
    }

    private List<SiteStats> out() {
        return harness.extractOutputValues();
    }

    @Test
    void theStateIsKryoFree() {
        assertSerializedAsPojoWithoutKryo(SiteWindows.SiteWindow.class);
    }

    @Test
    void aSiteWindowAddsItsCamerasUpOnceItsLatenessHasPassed() throws Exception {
        window("cam-a", 0, 2, 1, 11_000);
        window("cam-b", 0, 3, 2, 14_000);
        harness.processWatermark(new Watermark(15_999));
        assertThat(out()).isEmpty();
        harness.processWatermark(new Watermark(16_000)); // 5 s after the first camera
        assertThat(out())
                .singleElement()
                .satisfies(
                        s -> {
                            assertThat(s.site()).isEqualTo("shop");
                            assertThat(s.windowStart()).isZero();
                            assertThat(s.windowEnd()).isEqualTo(10_000);
                            assertThat(s.revision()).isZero();
                            assertThat(s.cameras()).containsExactly("cam-a", "cam-b");
                            assertThat(s.in()).isEqualTo(5);
                            assertThat(s.occupancyAvg()).isEqualTo(3);
                            assertThat(s.lines()).containsOnlyKeys("cam-a/door", "cam-b/door");
                            assertThat(s.tracks()).containsEntry("person", 5);
                        });
    }

    @Test
    void aLateCameraGivesARevisionThenIsCountedLate() throws Exception {
        window("cam-a", 0, 2, 1, 11_000);
        harness.processWatermark(new Watermark(16_000));
        window("cam-b", 0, 3, 2, 18_000); // late: a revision
        window("cam-a", 0, 4, 1, 19_000); // cam-a's window fired again: replaces its first
        harness.processWatermark(new Watermark(21_001)); // twice the lateness: done
        window("cam-c", 0, 7, 0, 22_000); // too late
        assertThat(out()).extracting(SiteStats::revision).containsExactly(0, 1, 2);
        assertThat(out()).extracting(SiteStats::in).containsExactly(2L, 5L, 7L);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1); // only the closed mark
    }

    @Test
    void windowsOfOneSiteAreIndependentAndSurviveARestore() throws Exception {
        window("cam-a", 0, 1, 0, 11_000);
        window("cam-a", 10_000, 2, 0, 21_000);
        OperatorSubtaskState snapshot = harness.snapshot(1, 21_000);
        harness.close();
        harness = harness();
        harness.initializeState(snapshot);
        harness.open();
        window("cam-b", 10_000, 3, 0, 22_000);
        harness.processWatermark(new Watermark(26_000));
        assertThat(out()).extracting(SiteStats::windowStart).containsExactly(0L, 10_000L);
        assertThat(out()).extracting(SiteStats::in).containsExactly(1L, 5L);
    }
}
