package io.frameflow.operators.inference;

import io.frameflow.records.Detection;
import java.util.List;

/**
 * Detections for one frame and where its time went.
 *
 * @param width original image width
 * @param height original image height
 * @param detections after threshold, NMS and class filter; boxes in original pixels
 * @param prepareNanos decode + preprocess of this frame
 * @param runNanos the ORT run of the batch the frame was in (the frame waited for all of it)
 * @param postNanos decoding this frame's outputs + NMS
 * @param batchSize frames in that ORT run
 */
public record FrameResult(
        int width,
        int height,
        List<Detection> detections,
        long prepareNanos,
        long runNanos,
        long postNanos,
        int batchSize) {

    /** decode + preprocess + run + postprocess, in milliseconds. */
    public double inferenceMs() {
        return (prepareNanos + runNanos + postNanos) / 1e6;
    }

    public long count(String label) {
        return detections.stream().filter(d -> d.label().equals(label)).count();
    }
}
