package io.frameflow.operators.stats;

import io.frameflow.operators.policy.DropEvent;
import io.frameflow.records.FrameDetections;
import java.util.Map;

/**
 * What the per-camera window needs from one frame: either an inferred frame (per-class counts and
 * timings) or a frame the drop policy discarded. Small, so windows never hold images.
 *
 * @param camera camera id
 * @param captureTs capture time, ms since epoch (the event time)
 * @param dropped true for a frame discarded before inference
 * @param latencyMs end-to-end latency, capture to emit (0 for a dropped frame)
 * @param inferenceMs inference time (0 for a dropped frame)
 * @param counts detections per class label on this frame (empty for a dropped frame)
 * @param scene its lines, zones and tracks, or null (not tracked, or a dropped frame)
 */
public record FrameSample(
        String camera,
        long captureTs,
        boolean dropped,
        double latencyMs,
        double inferenceMs,
        Map<String, Integer> counts,
        SceneSample scene) {

    /** {@code inferenceMs} of a frame the detector skipped ({@code inferEvery}). */
    public static final double NOT_INFERRED = -1;

    /** An inferred frame, its latency measured as {@code nowMs - captureTs}. */
    public static FrameSample inferred(FrameDetections detections, long nowMs) {
        return inferred(detections, nowMs, null);
    }

    /** An inferred and tracked frame with what it did on its lines and zones. */
    public static FrameSample inferred(FrameDetections detections, long nowMs, SceneSample scene) {
        return new FrameSample(
                detections.camera(),
                detections.captureTs(),
                false,
                Math.max(0, nowMs - detections.captureTs()),
                detections.predicted() ? NOT_INFERRED : detections.inferenceMs(),
                detections.countByLabel(),
                scene);
    }

    public static FrameSample dropped(DropEvent drop) {
        return new FrameSample(drop.camera(), drop.captureTs(), true, 0, 0, Map.of(), null);
    }
}
