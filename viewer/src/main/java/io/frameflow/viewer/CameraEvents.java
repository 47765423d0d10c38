package io.frameflow.viewer;

import io.frameflow.records.CameraEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One camera's recent events from {@code frames.events}, each with a snapshot (the annotated frame
 * closest to the event's capture time), and the live counts per line and zone.
 *
 * <p>Events are written in Kafka transactions and become visible at the job's checkpoint, seconds
 * after the annotated frames (which may be written at once): so the last {@value #FRAME_SPAN_MS} ms
 * of annotated frames are kept (at most {@value #MAX_FRAMES} frames and {@value #MAX_FRAME_BYTES}
 * bytes; the bytes are shared, never copied). An event whose frame has not come yet waits for it.
 * Everything is bounded: the newest {@value #MAX_EVENTS} events are kept.
 */
public final class CameraEvents {

    static final int MAX_EVENTS = 200;
    static final int MAX_FRAMES = 150;
    static final long FRAME_SPAN_MS = 30_000;
    static final long MAX_FRAME_BYTES = 8L << 20;

    /** Tracks remembered inside one zone; a job that never sends exits cannot grow this. */
    static final int MAX_TRACKS_PER_ZONE = 10_000;

    /** An event as the viewer shows it; {@code snapshot} is null until its frame is known. */
    public static final class Entry {
        private final long id;
        private final CameraEvent event;
        private LatestFrame.Frame snapshot;

        Entry(long id, CameraEvent event) {
            this.id = id;
            this.event = event;
        }

        public long id() {
            return id;
        }

        public CameraEvent event() {
            return event;
        }
    }

    /** Crossings of one line since the viewer started reading. */
    public record LineCount(long in, long out) {}

    /** One zone: objects inside now, entries and loiter events since the viewer started. */
    public record ZoneCount(int occupancy, long entries, long loiters) {}

    private final ArrayDeque<LatestFrame.Frame> recent = new ArrayDeque<>();
    private long recentBytes;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final List<Entry> waiting = new ArrayList<>();
    private final Map<String, long[]> lines = new TreeMap<>();
    private final Map<String, Zone> zones = new TreeMap<>();
    private long nextId = 1;

    private static final class Zone {
        final Set<Long> inside = new LinkedHashSet<>();
        long entries;
        long loiters;
    }

    /** A frame was shown: keep it for snapshots and give it to the events waiting for it. */
    synchronized void onFrame(LatestFrame.Frame frame) {
        recent.addLast(frame);
        recentBytes += frame.jpeg().length;
        while (recent.size() > MAX_FRAMES
                || recentBytes > MAX_FRAME_BYTES
                || recent.peekFirst().timestamp() < frame.timestamp() - FRAME_SPAN_MS) {
            recentBytes -= recent.pollFirst().jpeg().length;
        }
        for (Iterator<Entry> it = waiting.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            boolean passed = frame.timestamp() >= e.event.captureTs();
            boolean tooLong = frame.timestamp() - e.event.captureTs() > FRAME_SPAN_MS;
            if (passed || tooLong || sameFrame(frame, e.event)) {
                e.snapshot = closest(e.event);
                it.remove();
            }
        }
    }

    /** An event arrived: count it and find its snapshot now or when its frame comes. */
    synchronized void onEvent(CameraEvent event) {
        Entry e = new Entry(nextId++, event);
        entries.addLast(e);
        if (entries.size() > MAX_EVENTS) {
            waiting.remove(entries.pollFirst());
        }
        LatestFrame.Frame newest = recent.peekLast();
        if (newest != null && (newest.timestamp() >= event.captureTs() || exact(event) != null)) {
            e.snapshot = closest(event);
        } else {
            waiting.add(e);
        }
        count(event);
    }

    private void count(CameraEvent event) {
        switch (event.type()) {
            case LINE_CROSS -> {
                long[] c = lines.computeIfAbsent(event.name(), n -> new long[2]);
                c[CameraEvent.IN.equals(event.direction()) ? 0 : 1]++;
            }
            case ZONE_ENTER -> {
                Zone z = zones.computeIfAbsent(event.name(), n -> new Zone());
                z.entries++;
                if (z.inside.size() < MAX_TRACKS_PER_ZONE) {
                    z.inside.add(event.trackId());
                }
            }
            case ZONE_EXIT ->
                    zones.computeIfAbsent(event.name(), n -> new Zone())
                            .inside
                            .remove(event.trackId());
            case LOITER -> zones.computeIfAbsent(event.name(), n -> new Zone()).loiters++;
        }
    }

    private static boolean sameFrame(LatestFrame.Frame f, CameraEvent e) {
        return e.seq() >= 0 && f.seq() == e.seq();
    }

    private LatestFrame.Frame exact(CameraEvent e) {
        for (LatestFrame.Frame f : recent) {
            if (sameFrame(f, e)) {
                return f;
            }
        }
        return null;
    }

    /** The frame with the event's seq, else the one captured closest to it; null if none. */
    private LatestFrame.Frame closest(CameraEvent e) {
        LatestFrame.Frame best = exact(e);
        if (best != null) {
            return best;
        }
        long bestGap = Long.MAX_VALUE;
        for (LatestFrame.Frame f : recent) {
            long gap = Math.abs(f.timestamp() - e.captureTs());
            if (gap < bestGap) {
                bestGap = gap;
                best = f;
            }
        }
        return best;
    }

    /** The newest events first, at most {@code limit}, those {@code filter} accepts. */
    public synchronized List<Map<String, Object>> newest(Predicate<CameraEvent> filter, int limit) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Iterator<Entry> it = entries.descendingIterator();
                it.hasNext() && out.size() < limit; ) {
            Entry e = it.next();
            if (filter.test(e.event)) {
                out.add(describe(e));
            }
        }
        return out;
    }

    private static Map<String, Object> describe(Entry entry) {
        CameraEvent e = entry.event;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", entry.id);
        m.put("type", e.type().wireName());
        m.put("name", e.name());
        m.put("trackId", e.trackId());
        m.put("label", e.label());
        m.put("captureTs", e.captureTs());
        m.put("seq", e.seq());
        m.put("direction", e.direction());
        m.put("dwellMs", e.dwellMs());
        m.put("x", e.x());
        m.put("y", e.y());
        m.put("snapshot", entry.snapshot != null);
        return m;
    }

    /** The snapshot of event {@code id}, or null when it has none or is no longer kept. */
    public synchronized LatestFrame.Frame snapshot(long id) {
        for (Entry e : entries) {
            if (e.id == id) {
                return e.snapshot;
            }
        }
        return null;
    }

    public synchronized Map<String, LineCount> lineCounts() {
        Map<String, LineCount> out = new TreeMap<>();
        lines.forEach((name, c) -> out.put(name, new LineCount(c[0], c[1])));
        return out;
    }

    public synchronized Map<String, ZoneCount> zoneCounts() {
        Map<String, ZoneCount> out = new TreeMap<>();
        zones.forEach(
                (name, z) -> out.put(name, new ZoneCount(z.inside.size(), z.entries, z.loiters)));
        return out;
    }

    /** Events received so far. */
    public synchronized long received() {
        return nextId - 1;
    }
}
