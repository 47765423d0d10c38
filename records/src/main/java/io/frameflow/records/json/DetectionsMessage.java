package io.frameflow.records.json;

import io.frameflow.records.FrameDetections;
import java.util.Map;

/**
 * One parsed {@code frames.detections} record: the detections plus what was computed when it was
 * written.
 *
 * @param detections the frame's detections
 * @param latencyMs capture time to emit time, ms
 * @param counts detections per label, as written
 */
public record DetectionsMessage(
        FrameDetections detections, long latencyMs, Map<String, Integer> counts) {}
