package io.frameflow.operators.model;

import io.frameflow.records.DeadLetter;
import io.frameflow.records.Frame;
import io.frameflow.records.FrameDetections;

/**
 * What the async inference operator emits for one frame: the frame itself (so it can be annotated
 * downstream) with either its detections, the error that sends it to the dead-letter topic, or the
 * reason it was dropped unprocessed (it grew older than {@code --max-frame-age-ms} while it waited
 * for inference).
 *
 * @param frame the input frame
 * @param detections the detections, or null when {@code error} or {@code dropReason} is set
 * @param error why inference failed (e.g. {@code undecodable-image: ...}), or null
 * @param dropReason why the frame was dropped before inference (e.g. {@code max-age}), or null
 */
public record DetectedFrame(
        Frame frame, FrameDetections detections, String error, String dropReason) {

    public static DetectedFrame ok(Frame frame, FrameDetections detections) {
        return new DetectedFrame(frame, detections, null, null);
    }

    public static DetectedFrame failed(Frame frame, String error) {
        return new DetectedFrame(frame, null, error, null);
    }

    /** A frame shed by the drop policy inside the inference operator; counted, not inferred. */
    public static DetectedFrame dropped(Frame frame, String reason) {
        return new DetectedFrame(frame, null, null, reason);
    }

    public boolean failed() {
        return error != null;
    }

    public boolean dropped() {
        return dropReason != null;
    }

    /** The dead letter for a failed frame, keeping its original bytes and provenance. */
    public DeadLetter toDeadLetter() {
        return new DeadLetter(
                frame.camera() == null
                        ? null
                        : frame.camera().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                frame.image(),
                frame.captureTs(),
                error,
                frame.sourceTopic(),
                frame.sourcePartition(),
                frame.sourceOffset());
    }
}
