package io.frameflow.operators.track;

import io.frameflow.records.Detection;
import io.frameflow.records.settings.CameraSettings;
import io.frameflow.records.settings.Point;
import io.frameflow.records.settings.TrackerOverrides;
import java.util.ArrayList;
import java.util.List;

/**
 * What a camera's settings document ({@code docs/camera-settings.md}) does to its detections before
 * they are tracked: only the {@code classes} it names, at least {@code minScore}, none whose anchor
 * point (the middle of the box's bottom edge) lies in a {@code mask}; and the tracker's parameters
 * with the document's {@code tracker} overrides.
 */
public final class CameraRules {

    private CameraRules() {}

    /** The detections the settings keep, in their order. */
    public static List<Detection> keep(
            CameraSettings settings, List<Detection> detections, int width, int height) {
        double minScore = settings.minScoreOr(0);
        List<Detection> kept = new ArrayList<>(detections.size());
        for (Detection d : detections) {
            if (!settings.detects(d.label()) || d.score() < minScore) {
                continue;
            }
            if (!settings.masks().isEmpty()) {
                Point p = Point.anchorOf(d.x1(), d.y1(), d.x2(), d.y2(), width, height);
                if (settings.isMasked(p.x(), p.y())) {
                    continue;
                }
            }
            kept.add(d);
        }
        return kept;
    }

    /**
     * The job's tracker settings with the camera's overrides; the job's own when the combination is
     * not valid (e.g. a camera's low threshold above the defaults' high one).
     */
    public static TrackerSettings tracker(TrackerSettings base, TrackerOverrides o) {
        if (o == null || o.isEmpty()) {
            return base;
        }
        try {
            return new TrackerSettings(
                    (float) o.highThreshOr(base.trackHighThresh()),
                    (float) o.lowThreshOr(base.trackLowThresh()),
                    (float) o.newTrackThreshOr(base.newTrackThresh()),
                    (float) o.matchThreshOr(base.matchThresh()),
                    base.lowMatchThresh(),
                    base.unconfirmedMatchThresh(),
                    base.fuseScore(),
                    o.minHitsOr(base.minHits()),
                    o.trackBufferMsOr(base.trackBufferMs()),
                    base.maxTracks(),
                    base.motionStepMs());
        } catch (IllegalArgumentException e) {
            return base;
        }
    }
}
