package io.frameflow.operators.annotate;

import io.frameflow.operators.inference.InferenceResult;
import io.frameflow.records.AnnotatedFrame;
import io.frameflow.records.DeadLetter;
import io.frameflow.records.Frame;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Draws each successfully inferred frame's detections on it ({@link FrameAnnotator}). A frame that
 * cannot be drawn goes to {@link #DEAD_LETTERS} instead of failing the job.
 */
public class AnnotateFunction extends ProcessFunction<InferenceResult.Detected, AnnotatedFrame> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("annotate-failed", TypeInformation.of(DeadLetter.class));

    public static final int DEFAULT_JPEG_QUALITY = 85;

    private final int jpegQuality;
    private final int maxWidth;
    private final float keypointMinScore;
    private transient FrameAnnotator annotator;

    public AnnotateFunction() {
        this(DEFAULT_JPEG_QUALITY);
    }

    public AnnotateFunction(int jpegQuality) {
        this(jpegQuality, 0);
    }

    /**
     * @param maxWidth widest annotated frame; larger frames are scaled down (0 = keep the size)
     */
    public AnnotateFunction(int jpegQuality, int maxWidth) {
        this(jpegQuality, maxWidth, FrameAnnotator.DEFAULT_KEYPOINT_MIN_SCORE);
    }

    /**
     * @param keypointMinScore a pose keypoint below this confidence is not drawn
     */
    public AnnotateFunction(int jpegQuality, int maxWidth, float keypointMinScore) {
        this.jpegQuality = jpegQuality;
        this.maxWidth = maxWidth;
        this.keypointMinScore = keypointMinScore;
    }

    @Override
    public void open(OpenContext openContext) {
        annotator = new FrameAnnotator(jpegQuality, maxWidth, keypointMinScore);
    }

    @Override
    public void processElement(
            InferenceResult.Detected in, Context ctx, Collector<AnnotatedFrame> out) {
        Frame frame = in.frame();
        byte[] jpeg;
        try {
            jpeg = annotator.annotate(frame.image(), in.detections());
        } catch (RuntimeException e) {
            ctx.output(
                    DEAD_LETTERS,
                    new InferenceResult.Failed(frame, "annotate-failed: " + e.getMessage())
                            .toDeadLetter());
            return;
        }
        out.collect(
                new AnnotatedFrame(
                        frame.camera(),
                        frame.seq(),
                        frame.captureTs(),
                        in.detections().model(),
                        jpeg));
    }

    @Override
    public void close() throws Exception {
        if (annotator != null) {
            annotator.close();
            annotator = null;
        }
        super.close();
    }
}
