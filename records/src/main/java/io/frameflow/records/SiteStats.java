package io.frameflow.records;

import io.frameflow.records.WindowStats.LineCount;
import io.frameflow.records.WindowStats.ZoneCount;
import java.util.List;
import java.util.Map;

/**
 * One site's totals over one event-time window: the lines and zones of every camera of the site
 * (cameras whose settings name the same {@code site}), one record of {@code frames.sites}
 * (docs/events.md#site-totals).
 *
 * @param site the site
 * @param windowStart window start, ms since epoch (the cameras' windows are aligned)
 * @param windowEnd window end (exclusive)
 * @param revision 0 for the first record of this window; each camera window that arrived after it
 *     (a late camera, or a camera window that fired again) gives a record with the next revision:
 *     keep the highest per site and window
 * @param cameras the cameras whose windows are in, sorted
 * @param lines per {@code camera/line}: crossings in, out
 * @param zones per {@code camera/zone}: entries, occupancy average and maximum
 * @param tracks per class: distinct tracks summed over the cameras (an object seen by two cameras
 *     counts twice)
 */
public record SiteStats(
        String site,
        long windowStart,
        long windowEnd,
        int revision,
        List<String> cameras,
        Map<String, LineCount> lines,
        Map<String, ZoneCount> zones,
        Map<String, Integer> tracks) {

    /** Crossings into the site's lines (every camera's, {@code in} direction). */
    public long in() {
        return lines.values().stream().mapToLong(LineCount::in).sum();
    }

    public long out() {
        return lines.values().stream().mapToLong(LineCount::out).sum();
    }

    /** Objects in the site's zones per frame, averaged over the window, summed over its zones. */
    public double occupancyAvg() {
        return zones.values().stream().mapToDouble(ZoneCount::occupancyAvg).sum();
    }

    /**
     * The zones' maxima summed: an upper bound of the site's largest occupancy (the zones' maxima
     * may fall on different frames).
     */
    public int occupancyMax() {
        return zones.values().stream().mapToInt(ZoneCount::occupancyMax).sum();
    }
}
