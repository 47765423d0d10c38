package io.frameflow.viewer;

import io.frameflow.records.SiteStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The site totals of {@code frames.sites} per site, for the site view's chart: per window the
 * highest revision only (a late camera gives the window again, with more in it), over the last
 * {@code --history-minutes}, bounded in sites and points.
 */
final class SiteTotals {

    static final int MAX_SITES = 1_000;
    static final int MAX_POINTS = 2_000;

    /** One window of one site, as the chart draws it. */
    record Point(
            long windowEnd,
            int revision,
            long in,
            long out,
            double occupancyAvg,
            int occupancyMax,
            List<String> cameras) {}

    private final long spanMs;
    private final Map<String, TreeMap<Long, Point>> sites = new ConcurrentHashMap<>();

    SiteTotals(long spanMs) {
        this.spanMs = spanMs;
    }

    /** Takes one record; false when refused (too many sites). */
    boolean onRecord(SiteStats s) {
        if (!sites.containsKey(s.site()) && sites.size() >= MAX_SITES) {
            return false;
        }
        TreeMap<Long, Point> points = sites.computeIfAbsent(s.site(), k -> new TreeMap<>());
        synchronized (points) {
            Point old = points.get(s.windowEnd());
            if (old != null && old.revision() > s.revision()) {
                return true;
            }
            points.put(
                    s.windowEnd(),
                    new Point(
                            s.windowEnd(),
                            s.revision(),
                            s.in(),
                            s.out(),
                            s.occupancyAvg(),
                            s.occupancyMax(),
                            List.copyOf(s.cameras())));
            long newest = points.lastKey();
            while (points.size() > MAX_POINTS || points.firstKey() < newest - spanMs) {
                points.pollFirstEntry();
            }
        }
        return true;
    }

    /** Every site with its newest window, sorted by name. */
    List<Map<String, Object>> summary() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String site : new TreeMap<>(sites).keySet()) {
            TreeMap<Long, Point> points = sites.get(site);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("site", site);
            synchronized (points) {
                m.put("latest", points.isEmpty() ? null : points.lastEntry().getValue());
                m.put("windows", points.size());
            }
            out.add(m);
        }
        return out;
    }

    /** The site's windows, oldest first; null for a site never seen. */
    List<Point> points(String site) {
        TreeMap<Long, Point> points = sites.get(site);
        if (points == null) {
            return null;
        }
        synchronized (points) {
            return new ArrayList<>(points.values());
        }
    }
}
