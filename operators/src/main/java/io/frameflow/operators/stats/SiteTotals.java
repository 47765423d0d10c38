package io.frameflow.operators.stats;

import io.frameflow.records.SiteStats;
import io.frameflow.records.WindowStats;
import io.frameflow.records.WindowStats.LineCount;
import io.frameflow.records.WindowStats.ZoneCount;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;

/** Adds up the windows of a site's cameras: lines and zones named {@code camera/name}. */
final class SiteTotals {

    private SiteTotals() {}

    /**
     * @param cameras each camera's latest record of the window, by camera id
     */
    static SiteStats of(
            String site, long start, long end, int revision, Map<String, WindowStats> cameras) {
        Map<String, LineCount> lines = new TreeMap<>();
        Map<String, ZoneCount> zones = new TreeMap<>();
        Map<String, Integer> tracks = new TreeMap<>();
        for (Map.Entry<String, WindowStats> c : new TreeMap<>(cameras).entrySet()) {
            WindowStats.SceneStats scene = c.getValue().scene();
            scene.lines().forEach((line, n) -> lines.put(c.getKey() + "/" + line, n));
            scene.zones().forEach((zone, n) -> zones.put(c.getKey() + "/" + zone, n));
            scene.tracks().forEach((label, n) -> tracks.merge(label, n, Integer::sum));
        }
        return new SiteStats(
                site,
                start,
                end,
                revision,
                new ArrayList<>(new TreeMap<>(cameras).keySet()),
                lines,
                zones,
                tracks);
    }
}
