package io.frameflow.records;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the detector found on one frame.
 *
 * @param camera camera id
 * @param seq frame sequence number, or -1
 * @param captureTs capture time, ms since epoch
 * @param width original image width in pixels
 * @param height original image height in pixels
 * @param model model name (file name without extension)
 * @param inferenceMs time spent in decode + preprocess + run + postprocess for this frame
 * @param detections detections after thresholding and NMS, boxes in original-image pixels
 * @param predicted true for a frame the detector did not run on (the camera's {@code inferEvery}):
 *     its detections are the tracker's predicted boxes of the camera's confirmed tracks
 * @param modelVersion the model file's version (first 8 hex digits of its SHA-256; several joined
 *     by {@code +} as {@code model} is), or null where no model ran
 */
public record FrameDetections(
        String camera,
        long seq,
        long captureTs,
        int width,
        int height,
        String model,
        double inferenceMs,
        List<Detection> detections,
        boolean predicted,
        String modelVersion) {

    /** A frame without a model version (predicted frames, tests). */
    public FrameDetections(
            String camera,
            long seq,
            long captureTs,
            int width,
            int height,
            String model,
            double inferenceMs,
            List<Detection> detections,
            boolean predicted) {
        this(
                camera,
                seq,
                captureTs,
                width,
                height,
                model,
                inferenceMs,
                detections,
                predicted,
                null);
    }

    /** What the detector found on an inferred frame. */
    public FrameDetections(
            String camera,
            long seq,
            long captureTs,
            int width,
            int height,
            String model,
            double inferenceMs,
            List<Detection> detections) {
        this(camera, seq, captureTs, width, height, model, inferenceMs, detections, false, null);
    }

    /** The same frame with other detections (filtered, tracked). */
    public FrameDetections withDetections(List<Detection> other) {
        return new FrameDetections(
                camera,
                seq,
                captureTs,
                width,
                height,
                model,
                inferenceMs,
                other,
                predicted,
                modelVersion);
    }

    /** Detections per label, in label order (the one place this is counted). */
    public Map<String, Integer> countByLabel() {
        Map<String, Integer> counts = new TreeMap<>();
        if (detections != null) {
            for (Detection d : detections) {
                counts.merge(d.label(), 1, Integer::sum);
            }
        }
        return counts;
    }
}
