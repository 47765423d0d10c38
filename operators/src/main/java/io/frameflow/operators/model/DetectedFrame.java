package io.frameflow.operators.model;

/**
 * What the async inference operator emits for one frame: the frame itself (so it can be annotated
 * downstream) with either its detections or, when the frame could not be decoded or inferred, the
 * error that sends it to the dead-letter topic.
 *
 * @param frame the input frame
 * @param detections the detections, or null when {@code error} is set
 * @param error why inference failed (e.g. {@code undecodable-image: ...}), or null on success
 */
public record DetectedFrame(Frame frame, FrameDetections detections, String error) {

    public static DetectedFrame ok(Frame frame, FrameDetections detections) {
        return new DetectedFrame(frame, detections, null);
    }

    public static DetectedFrame failed(Frame frame, String error) {
        return new DetectedFrame(frame, null, error);
    }

    public boolean failed() {
        return error != null;
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
