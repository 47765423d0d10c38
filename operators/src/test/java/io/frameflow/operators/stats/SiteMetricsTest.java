package io.frameflow.operators.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.SiteStats;
import io.frameflow.records.WindowStats.LineCount;
import io.frameflow.records.WindowStats.ZoneCount;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.testutils.MetricListener;
import org.junit.jupiter.api.Test;

/**
 * A site's counters grow by what each record of a window adds (a revision counts only its change);
 * its gauges follow the newest window, never an older window's revision.
 */
class SiteMetricsTest {

    private final MetricListener listener = new MetricListener();
    private final SiteMetrics metrics = new SiteMetrics(listener.getMetricGroup());

    private static SiteStats window(
            long start,
            int revision,
            long in,
            long out,
            long entries,
            double occ,
            String... cameras) {
        return new SiteStats(
                "shop",
                start,
                start + 10_000,
                revision,
                List.of(cameras),
                Map.of("cam-a/door", new LineCount(in, out)),
                Map.of("cam-a/counter", new ZoneCount(entries, occ, (int) Math.ceil(occ))),
                Map.of());
    }

    private long counter(String... path) {
        return listener.getCounter(path).orElseThrow().getCount();
    }

    private Object gauge(String name) {
        return listener.<Object>getGauge("frameflow", "site", "shop", name)
                .map(Gauge::getValue)
                .orElseThrow();
    }

    @Test
    void revisionsAddOnlyWhatTheyChanged() {
        SiteMetrics.Emitted first =
                metrics.window(window(0, 0, 2, 1, 3, 1.5, "cam-a"), SiteMetrics.Emitted.NONE);
        metrics.window(window(0, 1, 5, 1, 4, 2.5, "cam-a", "cam-b"), first);
        metrics.window(window(10_000, 0, 1, 0, 0, 0.5, "cam-a"), SiteMetrics.Emitted.NONE);

        assertThat(counter("frameflow", "site", "shop", "direction", "in", "site_crossings"))
                .isEqualTo(5 + 1);
        assertThat(counter("frameflow", "site", "shop", "direction", "out", "site_crossings"))
                .isEqualTo(1);
        assertThat(counter("frameflow", "site", "shop", "site_zone_entries")).isEqualTo(4);
        assertThat(gauge("site_occupancy")).isEqualTo(0.5);
        assertThat(gauge("site_cameras")).isEqualTo(1);
    }

    @Test
    void anOlderWindowsRevisionLeavesTheGaugesToTheNewestWindow() {
        SiteMetrics.Emitted old =
                metrics.window(window(0, 0, 1, 0, 1, 1.0, "cam-a"), SiteMetrics.Emitted.NONE);
        metrics.window(window(10_000, 0, 2, 0, 1, 3.0, "cam-a", "cam-b"), SiteMetrics.Emitted.NONE);
        metrics.window(window(0, 1, 4, 0, 2, 9.0, "cam-a", "cam-b", "cam-c"), old);

        assertThat(gauge("site_occupancy")).isEqualTo(3.0);
        assertThat(gauge("site_cameras")).isEqualTo(2);
        assertThat(counter("frameflow", "site", "shop", "direction", "in", "site_crossings"))
                .isEqualTo(2 + 4);
    }
}
