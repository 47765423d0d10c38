package io.frameflow.operators.scene;

import io.frameflow.operators.scene.SceneState.LineSide;
import io.frameflow.operators.scene.SceneState.TrackPlace;
import io.frameflow.operators.scene.SceneState.ZoneVisit;
import io.frameflow.records.CameraEvent;
import io.frameflow.records.Detection;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.settings.CameraSettings;
import io.frameflow.records.settings.Line;
import io.frameflow.records.settings.Point;
import io.frameflow.records.settings.Zone;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one camera's tracked detections, frame by frame and in capture order, into events on its
 * lines and zones ({@link CameraEvent}): {@code line-cross}, {@code zone-enter}, {@code zone-exit}
 * and {@code loiter}. A plain class: the state it works on ({@link SceneState}) is passed in, so
 * the keyed function that calls it keeps it in Flink state.
 *
 * <p>An object's position is its box's anchor, the middle of the bottom edge ({@link
 * Point#anchorOf}). Only detections on a confirmed track take part.
 *
 * <p>Hysteresis, so a box that jitters on a line or a zone's edge counts once: around every line
 * and zone edge lies a dead band {@link #margin} wide (a tenth of the object's box height, at least
 * {@link #MIN_MARGIN_PX} pixels). A track's side of a line changes only when its anchor is beyond
 * the band on the other side, and the move since it was last confirmed on the old side must pass
 * through the line segment itself (not beside its ends); that change is the crossing. A track
 * enters a zone when its anchor is inside the polygon, and leaves only when its anchor is outside
 * by more than the band, or when the track ends.
 *
 * <p>A track ends when it has not been seen for the tracker's lost-track buffer (the tracker drops
 * it then too): its open visits end with a {@code zone-exit} stamped with the last frame it was
 * seen on. {@link #endAll} ends every track at once, for a camera that went quiet.
 */
public final class SceneRules {

    /** The dead band's width as a fraction of the object's box height. */
    static final double MARGIN_OF_BOX_HEIGHT = 0.1;

    /** The narrowest dead band, pixels. */
    static final double MIN_MARGIN_PX = 2;

    /** What one frame produced: events, and how many tracks are in each zone after it. */
    public record SceneResult(List<CameraEvent> events, Map<String, Integer> occupancy) {}

    /**
     * Applies one frame.
     *
     * @param settings the camera's settings in effect (lines, zones, site)
     * @param frame the frame's detections, with track ids
     * @param trackBufferMs how long an unseen track is kept (the tracker's {@code trackBufferMs})
     * @param state the camera's state, updated in place
     */
    public SceneResult update(
            CameraSettings settings, FrameDetections frame, long trackBufferMs, SceneState state) {
        List<CameraEvent> events = new ArrayList<>();
        long ts = frame.captureTs();
        List<Detection> detections = frame.detections() == null ? List.of() : frame.detections();
        for (Detection d : detections) {
            if (d.trackId() == Detection.NO_TRACK) {
                continue;
            }
            TrackPlace place =
                    state.tracks.computeIfAbsent(d.trackId(), id -> new TrackPlace(d.label()));
            place.label = d.label();
            place.lastSeenTs = ts;
            place.lastSeq = frame.seq();
            Point anchor =
                    Point.anchorOf(d.x1(), d.y1(), d.x2(), d.y2(), frame.width(), frame.height());
            place.x = anchor.x();
            place.y = anchor.y();
            double margin = margin(d);
            for (Line line : settings.lines()) {
                if (line.appliesTo(d.label())) {
                    lineStep(line, place, frame, margin, d.trackId(), events, settings.site());
                }
            }
            for (Zone zone : settings.zones()) {
                if (zone.appliesTo(d.label())) {
                    zoneStep(zone, place, frame, margin, d.trackId(), events, settings.site());
                }
            }
        }
        for (Iterator<Map.Entry<Long, TrackPlace>> it = state.tracks.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<Long, TrackPlace> e = it.next();
            TrackPlace place = e.getValue();
            forgetRemoved(settings, place);
            if (ts - place.lastSeenTs > trackBufferMs) {
                end(e.getKey(), place, frame.camera(), settings.site(), events);
                it.remove();
            }
        }
        return new SceneResult(events, occupancy(settings, state));
    }

    /** Ends every track (a camera that went quiet): their open visits end as {@code zone-exit}. */
    public List<CameraEvent> endAll(CameraSettings settings, String camera, SceneState state) {
        List<CameraEvent> events = new ArrayList<>();
        for (Map.Entry<Long, TrackPlace> e : state.tracks.entrySet()) {
            forgetRemoved(settings, e.getValue());
            end(e.getKey(), e.getValue(), camera, settings.site(), events);
        }
        state.tracks.clear();
        return events;
    }

    /** Tracks with an open visit, per zone of the settings (0 for an empty zone). */
    public static Map<String, Integer> occupancy(CameraSettings settings, SceneState state) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Zone zone : settings.zones()) {
            counts.put(zone.name(), 0);
        }
        for (TrackPlace place : state.tracks.values()) {
            for (String zone : place.zones.keySet()) {
                counts.computeIfPresent(zone, (k, n) -> n + 1);
            }
        }
        return counts;
    }

    /** The dead band around lines and zone edges for this detection, pixels. */
    static double margin(Detection d) {
        return Math.max(MIN_MARGIN_PX, MARGIN_OF_BOX_HEIGHT * Math.abs(d.y2() - d.y1()));
    }

    private static void lineStep(
            Line line,
            TrackPlace place,
            FrameDetections frame,
            double margin,
            long trackId,
            List<CameraEvent> events,
            String site) {
        int side = sideBeyond(line, place.x, place.y, frame.width(), frame.height(), margin);
        LineSide known = place.lines.get(line.name());
        if (known == null || !sameEnds(known, line)) {
            if (side != Line.ON) {
                place.lines.put(line.name(), confirmed(line, side, place.x, place.y));
            } else {
                place.lines.remove(line.name());
            }
            return; // a track's first position (or a moved line's) is no crossing
        }
        if (side == Line.ON) {
            return; // in the dead band: nothing decided
        }
        if (side != known.side) {
            int crossing = line.crossing(known.x, known.y, place.x, place.y);
            if (crossing != Line.NONE) {
                events.add(
                        event(
                                CameraEvent.Type.LINE_CROSS,
                                frame.camera(),
                                site,
                                line.name(),
                                trackId,
                                place,
                                crossing == Line.IN ? CameraEvent.IN : CameraEvent.OUT,
                                null));
            }
        }
        known.side = side;
        known.x = place.x;
        known.y = place.y;
    }

    private static void zoneStep(
            Zone zone,
            TrackPlace place,
            FrameDetections frame,
            double margin,
            long trackId,
            List<CameraEvent> events,
            String site) {
        long ts = frame.captureTs();
        ZoneVisit visit = place.zones.get(zone.name());
        boolean inside = zone.contains(place.x, place.y);
        if (visit == null) {
            if (inside) {
                place.zones.put(zone.name(), new ZoneVisit(ts));
                events.add(
                        event(
                                CameraEvent.Type.ZONE_ENTER,
                                frame.camera(),
                                site,
                                zone.name(),
                                trackId,
                                place,
                                null,
                                null));
                visit = place.zones.get(zone.name());
            } else {
                return;
            }
        } else if (!inside
                && distanceToEdge(zone, place.x, place.y, frame.width(), frame.height()) > margin) {
            place.zones.remove(zone.name());
            events.add(
                    event(
                            CameraEvent.Type.ZONE_EXIT,
                            frame.camera(),
                            site,
                            zone.name(),
                            trackId,
                            place,
                            null,
                            ts - visit.enteredTs));
            return;
        }
        if (zone.loiterSeconds() != null
                && !visit.loitered
                && ts - visit.enteredTs >= Math.round(zone.loiterSeconds() * 1000)) {
            visit.loitered = true;
            events.add(
                    event(
                            CameraEvent.Type.LOITER,
                            frame.camera(),
                            site,
                            zone.name(),
                            trackId,
                            place,
                            null,
                            ts - visit.enteredTs));
        }
    }

    /** A track that ended: each open visit ends at the last frame the track was seen on. */
    private static void end(
            long trackId, TrackPlace place, String camera, String site, List<CameraEvent> events) {
        for (Map.Entry<String, ZoneVisit> z : place.zones.entrySet()) {
            events.add(
                    event(
                            CameraEvent.Type.ZONE_EXIT,
                            camera,
                            site,
                            z.getKey(),
                            trackId,
                            place,
                            null,
                            place.lastSeenTs - z.getValue().enteredTs));
        }
        place.zones.clear();
    }

    /** Drops what a track remembers of lines and zones the settings no longer have. */
    private static void forgetRemoved(CameraSettings settings, TrackPlace place) {
        place.lines.keySet().removeIf(name -> settings.line(name) == null);
        place.zones.keySet().removeIf(name -> settings.zone(name) == null);
    }

    /**
     * An event of {@code place}'s track, stamped with its latest sighting: the current frame while
     * the frame is applied, the last frame it was seen on when it ends.
     */
    private static CameraEvent event(
            CameraEvent.Type type,
            String camera,
            String site,
            String name,
            long trackId,
            TrackPlace place,
            String direction,
            Long dwellMs) {
        return new CameraEvent(
                type,
                camera,
                site,
                name,
                trackId,
                place.label,
                place.lastSeenTs,
                place.lastSeq,
                direction,
                dwellMs,
                place.x,
                place.y);
    }

    /**
     * {@link Line#LEFT} or {@link Line#RIGHT} when the point is more than {@code margin} pixels
     * from the (infinite) line, else {@link Line#ON}.
     */
    static int sideBeyond(Line line, double x, double y, int width, int height, double margin) {
        double ax = line.a().x() * width;
        double ay = line.a().y() * height;
        double dx = line.b().x() * width - ax;
        double dy = line.b().y() * height - ay;
        double cross = dx * (y * height - ay) - dy * (x * width - ax);
        double distance = cross / Math.hypot(dx, dy);
        return distance <= -margin ? Line.LEFT : distance >= margin ? Line.RIGHT : Line.ON;
    }

    /** Pixels from the point to the nearest edge of the zone's polygon. */
    static double distanceToEdge(Zone zone, double x, double y, int width, int height) {
        List<Point> p = zone.polygon().points();
        double px = x * width;
        double py = y * height;
        double best = Double.MAX_VALUE;
        for (int i = 0, j = p.size() - 1; i < p.size(); j = i++) {
            best =
                    Math.min(
                            best,
                            segmentDistance(
                                    px,
                                    py,
                                    p.get(j).x() * width,
                                    p.get(j).y() * height,
                                    p.get(i).x() * width,
                                    p.get(i).y() * height));
        }
        return best;
    }

    private static double segmentDistance(
            double px, double py, double ax, double ay, double bx, double by) {
        double dx = bx - ax;
        double dy = by - ay;
        double t = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy);
        t = Math.max(0, Math.min(1, t));
        return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
    }

    private static boolean sameEnds(LineSide s, Line line) {
        return s.ax == line.a().x()
                && s.ay == line.a().y()
                && s.bx == line.b().x()
                && s.by == line.b().y();
    }

    private static LineSide confirmed(Line line, int side, double x, double y) {
        LineSide s = new LineSide();
        s.ax = line.a().x();
        s.ay = line.a().y();
        s.bx = line.b().x();
        s.by = line.b().y();
        s.side = side;
        s.x = x;
        s.y = y;
        return s;
    }
}
