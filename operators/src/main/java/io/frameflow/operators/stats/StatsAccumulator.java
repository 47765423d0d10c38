package io.frameflow.operators.stats;

import io.frameflow.records.WindowStats;
import io.frameflow.records.WindowStats.ClassCount;
import io.frameflow.records.WindowStats.LineCount;
import io.frameflow.records.WindowStats.SceneStats;
import io.frameflow.records.WindowStats.ZoneCount;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Running totals of one camera window. A public POJO with the latency sketches as bytes, so Flink
 * serializes it field by field (no Kryo) in state and checkpoints.
 */
public class StatsAccumulator {

    /** Frames inferred. */
    public long frames;

    /** Frames dropped by the drop policy. */
    public long dropped;

    /** Per-class tallies over the frames that had at least one object of that class. */
    public Map<String, ClassTally> classes = new HashMap<>();

    /** The camera's site, from its latest frame's settings. */
    public String site;

    /** Per line: crossings in, out. */
    public Map<String, Long> lineIn = new HashMap<>();

    public Map<String, Long> lineOut = new HashMap<>();

    /** Per zone: visits begun, sum and maximum of tracks inside per frame. */
    public Map<String, Long> zoneEntries = new HashMap<>();

    public Map<String, Long> occupancySum = new HashMap<>();
    public Map<String, Integer> occupancyMax = new HashMap<>();

    /** Per class: the distinct track ids seen (a window holds a few dozen at most). */
    public Map<String, long[]> trackIds = new HashMap<>();

    /** {@link LatencySketch} of end-to-end latency. */
    public byte[] latencySketch;

    /** {@link LatencySketch} of inference time. */
    public byte[] inferenceSketch;

    public StatsAccumulator() {}

    /** Per-class count per frame, over the frames where the class appeared. */
    public static class ClassTally {
        public long sum;
        public int max;
        public int min;
        public long framesSeen;

        public ClassTally() {}

        void add(int count) {
            sum += count;
            max = framesSeen == 0 ? count : Math.max(max, count);
            min = framesSeen == 0 ? count : Math.min(min, count);
            framesSeen++;
        }

        void merge(ClassTally o) {
            if (o.framesSeen == 0) {
                return;
            }
            max = framesSeen == 0 ? o.max : Math.max(max, o.max);
            min = framesSeen == 0 ? o.min : Math.min(min, o.min);
            sum += o.sum;
            framesSeen += o.framesSeen;
        }
    }

    public void add(FrameSample sample) {
        if (sample.dropped()) {
            dropped++;
            return;
        }
        frames++;
        for (Map.Entry<String, Integer> e : sample.counts().entrySet()) {
            if (e.getValue() > 0) {
                classes.computeIfAbsent(e.getKey(), k -> new ClassTally()).add(e.getValue());
            }
        }
        latencySketch = LatencySketch.record(latencySketch, sample.latencyMs());
        if (sample.inferenceMs() != FrameSample.NOT_INFERRED) {
            inferenceSketch = LatencySketch.record(inferenceSketch, sample.inferenceMs());
        }
        if (sample.scene() != null) {
            addScene(sample.scene());
        }
    }

    private void addScene(SceneSample scene) {
        site = scene.site();
        scene.lineIn().forEach((line, n) -> lineIn.merge(line, (long) n, Long::sum));
        scene.lineOut().forEach((line, n) -> lineOut.merge(line, (long) n, Long::sum));
        scene.zoneEntries().forEach((zone, n) -> zoneEntries.merge(zone, (long) n, Long::sum));
        scene.zoneOccupancy()
                .forEach(
                        (zone, n) -> {
                            occupancySum.merge(zone, (long) n, Long::sum);
                            occupancyMax.merge(zone, n, Math::max);
                        });
        scene.tracks().forEach((label, ids) -> addTracks(label, ids));
    }

    private void addTracks(String label, long[] ids) {
        long[] seen = trackIds.getOrDefault(label, new long[0]);
        long[] grown = null; // copied only when an id is new (most frames add none)
        int n = seen.length;
        for (long id : ids) {
            if (!contains(grown == null ? seen : grown, n, id)) {
                if (grown == null) {
                    grown = Arrays.copyOf(seen, seen.length + ids.length);
                }
                grown[n++] = id;
            }
        }
        if (grown != null) {
            trackIds.put(label, Arrays.copyOf(grown, n));
        } else if (!trackIds.containsKey(label)) {
            trackIds.put(label, seen);
        }
    }

    private static boolean contains(long[] ids, int n, long id) {
        for (int i = 0; i < n; i++) {
            if (ids[i] == id) {
                return true;
            }
        }
        return false;
    }

    public StatsAccumulator merge(StatsAccumulator o) {
        frames += o.frames;
        dropped += o.dropped;
        for (Map.Entry<String, ClassTally> e : o.classes.entrySet()) {
            classes.computeIfAbsent(e.getKey(), k -> new ClassTally()).merge(e.getValue());
        }
        latencySketch = LatencySketch.merge(latencySketch, o.latencySketch);
        inferenceSketch = LatencySketch.merge(inferenceSketch, o.inferenceSketch);
        site = o.site != null ? o.site : site;
        o.lineIn.forEach((k, v) -> lineIn.merge(k, v, Long::sum));
        o.lineOut.forEach((k, v) -> lineOut.merge(k, v, Long::sum));
        o.zoneEntries.forEach((k, v) -> zoneEntries.merge(k, v, Long::sum));
        o.occupancySum.forEach((k, v) -> occupancySum.merge(k, v, Long::sum));
        o.occupancyMax.forEach((k, v) -> occupancyMax.merge(k, v, Math::max));
        o.trackIds.forEach(this::addTracks);
        return this;
    }

    /**
     * The window's stats. A class absent from some frames counted zero on them, so its min is 0 and
     * its average is over all inferred frames.
     */
    public WindowStats toStats(String camera, long windowStart, long windowEnd) {
        Map<String, ClassCount> counts = new TreeMap<>();
        for (Map.Entry<String, ClassTally> e : classes.entrySet()) {
            ClassTally t = e.getValue();
            int min = t.framesSeen < frames ? 0 : t.min;
            double avg = frames == 0 ? 0 : (double) t.sum / frames;
            counts.put(e.getKey(), new ClassCount(avg, t.max, min));
        }
        double seconds = (windowEnd - windowStart) / 1000.0;
        double fps = seconds > 0 ? frames / seconds : 0;
        return new WindowStats(
                camera,
                windowStart,
                windowEnd,
                frames,
                fps,
                dropped,
                counts,
                LatencySketch.percentiles(latencySketch),
                LatencySketch.percentiles(inferenceSketch),
                scene());
    }

    /** Lines, zones and tracks; occupancy averaged over every inferred frame of the window. */
    private SceneStats scene() {
        if (site == null
                && lineIn.isEmpty()
                && lineOut.isEmpty()
                && occupancySum.isEmpty()
                && trackIds.isEmpty()) {
            return SceneStats.NONE;
        }
        Map<String, LineCount> lines = new TreeMap<>();
        Set<String> lineNames = new TreeSet<>(lineIn.keySet());
        lineNames.addAll(lineOut.keySet());
        for (String line : lineNames) {
            lines.put(
                    line,
                    new LineCount(lineIn.getOrDefault(line, 0L), lineOut.getOrDefault(line, 0L)));
        }
        Map<String, ZoneCount> zones = new TreeMap<>();
        Set<String> zoneNames = new TreeSet<>(occupancySum.keySet());
        zoneNames.addAll(zoneEntries.keySet());
        for (String zone : zoneNames) {
            long sum = occupancySum.getOrDefault(zone, 0L);
            zones.put(
                    zone,
                    new ZoneCount(
                            zoneEntries.getOrDefault(zone, 0L),
                            frames == 0 ? 0 : (double) sum / frames,
                            occupancyMax.getOrDefault(zone, 0)));
        }
        Map<String, Integer> tracks = new TreeMap<>();
        trackIds.forEach((label, ids) -> tracks.put(label, ids.length));
        return new SceneStats(site, lines, zones, tracks);
    }
}
