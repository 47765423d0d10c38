package io.frameflow.operators.stats;

import io.frameflow.operators.metrics.CameraMetricGroups;
import io.frameflow.records.CameraEvent;
import io.frameflow.records.SiteStats;
import io.frameflow.records.WindowStats.ZoneCount;
import io.frameflow.records.metrics.FrameFlowMetrics;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Per-site metrics of {@code frames.sites} (docs/metrics.md), so a dashboard shows a site's totals
 * without reading the topic: {@code site_crossings{site, direction}} and {@code
 * site_zone_entries{site}} count what the site's windows added, {@code site_occupancy{site}} and
 * {@code site_cameras{site}} are those of the site's newest window.
 *
 * <p>A site window goes out again with each revision (a late camera): its counters grow by what the
 * revision added to the window's previous record, never by the whole window again, so {@code
 * rate()} over them is the site's crossing rate. Sites have the same bounded, retiring groups as
 * cameras ({@link CameraMetricGroups}, keyed by {@code site}).
 */
public final class SiteMetrics {

    private final CameraMetricGroups<Site> sites;

    /** One site's series. */
    private static final class Site {
        final Counter in;
        final Counter out;
        final Counter entries;
        long newestWindow = Long.MIN_VALUE;
        double occupancy;
        int cameras;

        Site(MetricGroup group, boolean shared) {
            in =
                    group.addGroup(FrameFlowMetrics.DIRECTION, CameraEvent.IN)
                            .counter(FrameFlowMetrics.NAME_SITE_CROSSINGS);
            out =
                    group.addGroup(FrameFlowMetrics.DIRECTION, CameraEvent.OUT)
                            .counter(FrameFlowMetrics.NAME_SITE_CROSSINGS);
            entries = group.counter(FrameFlowMetrics.NAME_SITE_ZONE_ENTRIES);
            if (!shared) { // the overflow group's "newest window" would mix sites
                group.gauge(FrameFlowMetrics.NAME_SITE_OCCUPANCY, () -> occupancy);
                group.gauge(FrameFlowMetrics.NAME_SITE_CAMERAS, () -> cameras);
            }
        }
    }

    /**
     * @param operator the operator's metric group
     */
    public SiteMetrics(MetricGroup operator) {
        sites =
                new CameraMetricGroups<>(
                        operator.addGroup(FrameFlowMetrics.GROUP),
                        FrameFlowMetrics.SITE,
                        FrameFlowMetrics.MAX_CAMERAS_WITH_METRICS,
                        FrameFlowMetrics.CAMERA_METRICS_RETIRE_MS,
                        System::currentTimeMillis,
                        Site::new);
    }

    /**
     * A site window went out.
     *
     * @param before what this window's previous record said (zeros for its first)
     * @return what this record says, for the window's next revision
     */
    public Emitted window(SiteStats window, Emitted before) {
        Emitted now = Emitted.of(window);
        Site site = sites.of(window.site());
        // a replaced camera window never has fewer crossings than the one it replaces (it fired
        // again with more frames), but a counter must never go back whatever the input
        site.in.inc(Math.max(0, now.in() - before.in()));
        site.out.inc(Math.max(0, now.out() - before.out()));
        site.entries.inc(Math.max(0, now.entries() - before.entries()));
        if (window.windowStart() >= site.newestWindow) {
            site.newestWindow = window.windowStart();
            site.occupancy = window.occupancyAvg();
            site.cameras = window.cameras().size();
        }
        return now;
    }

    /** The counted totals of one site record. */
    public record Emitted(long in, long out, long entries) {
        public static final Emitted NONE = new Emitted(0, 0, 0);

        static Emitted of(SiteStats s) {
            return new Emitted(
                    s.in(),
                    s.out(),
                    s.zones().values().stream().mapToLong(ZoneCount::entries).sum());
        }
    }
}
