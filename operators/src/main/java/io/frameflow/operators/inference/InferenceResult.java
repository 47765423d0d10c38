package io.frameflow.operators.inference;

import io.frameflow.operators.policy.DropEvent;
import io.frameflow.records.DeadLetter;
import io.frameflow.records.Frame;
import io.frameflow.records.FrameDetections;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What the inference operator emits for one frame: exactly one of three outcomes, each carrying the
 * frame (or, as {@link Skipped}, the place of a frame the drop policy dropped before inference) (so
 * it can be annotated or dead-lettered downstream). A sealed type rather than one record of
 * nullable fields, so a consumer's {@code switch} names every outcome and cannot read the
 * detections of a frame that has none.
 *
 * <p>Flink serializes it with {@link InferenceResultSerializer} (a tag byte, then the variant's
 * fields), declared by {@link TypeInfo} so the job runs with {@code pipeline.generic-types=false}.
 */
@TypeInfo(InferenceResultTypeInfo.Factory.class)
public sealed interface InferenceResult {

    /** The input frame. */
    Frame frame();

    /** The frame was inferred; {@code detections} may be empty. */
    record Detected(Frame frame, FrameDetections detections) implements InferenceResult {}

    /**
     * The frame could not be inferred and goes to the dead-letter topic.
     *
     * @param reason {@code undecodable-image: ...}, {@code inference-failed: ...} or {@code
     *     inference-timeout: ...}; the part before the colon is the dead letter's reason code
     */
    record Failed(Frame frame, String reason) implements InferenceResult {

        /** The dead letter, keeping the frame's original bytes and provenance. */
        public DeadLetter toDeadLetter() {
            return new DeadLetter(
                    frame.camera() == null ? null : frame.camera().getBytes(StandardCharsets.UTF_8),
                    frame.image(),
                    frame.captureTs(),
                    reason,
                    frame.sourceTopic(),
                    frame.sourcePartition(),
                    frame.sourceOffset());
        }
    }

    /**
     * The frame grew older than {@code --max-frame-age-ms} while it waited for inference: not
     * inferred, only counted (like the drop policy's drops).
     *
     * @param reason the drop reason, e.g. {@code max-age}
     */
    record Skipped(Frame frame) implements InferenceResult {

        /**
         * The place of a frame the drop policy dropped before inference, so that capture order
         * ({@code CaptureOrderFunction}) need not wait for it. Carries no image; it is counted
         * where it was dropped, never again.
         */
        public static Skipped of(DropEvent drop) {
            return new Skipped(
                    new Frame(
                            drop.camera(),
                            drop.seq(),
                            drop.captureTs(),
                            Frame.JPEG,
                            new byte[0],
                            "",
                            -1,
                            -1));
        }
    }

    record Expired(Frame frame, String reason) implements InferenceResult {

        /** The drop as the window stats count it. */
        public DropEvent toDropEvent() {
            return new DropEvent(frame.camera(), frame.captureTs(), reason);
        }
    }
}
