package io.frameflow.bench;

import io.frameflow.operators.annotate.AnnotateOptions;
import io.frameflow.operators.annotate.FrameAnnotator;
import io.frameflow.operators.decode.UndecodableImageException;
import io.frameflow.operators.inference.Detector;
import io.frameflow.operators.inference.DetectorSettings;
import io.frameflow.operators.inference.FrameResult;
import io.frameflow.records.FrameDetections;
import java.nio.file.Path;

/**
 * The per-frame work without Kafka or Flink, on the calling thread: the detector's decode +
 * preprocess + ORT run + postprocess, then the job's annotator (draw + JPEG encode). Not
 * thread-safe: one per thread.
 */
final class Pipeline implements AutoCloseable {

    static final int JPEG_QUALITY = AnnotateOptions.JPEG_QUALITY.defaultValue();

    /** The job's --annotated-max-width for every system of a run (its default 1280; 0 = keep). */
    static final int ANNOTATED_MAX_WIDTH = Integer.getInteger("bench.annotatedMaxWidth", 1280);

    final Detector detector;
    final FrameAnnotator annotator = new FrameAnnotator(JPEG_QUALITY, ANNOTATED_MAX_WIDTH);
    final String model;

    /** Result of one frame with where its time went. */
    record Timed(FrameResult result, long annotateNanos, byte[] annotated) {}

    Pipeline(Path model, int intraOpThreads) {
        this.detector =
                Detector.open(
                        DetectorSettings.forModel(model)
                                .device("cpu")
                                .threads(intraOpThreads, 1)
                                .build());
        this.model = detector.info().name();
    }

    Timed process(String camera, long seq, long captureTs, byte[] jpeg) {
        FrameResult r;
        try {
            r = detector.detect(jpeg);
        } catch (UndecodableImageException | ai.onnxruntime.OrtException e) {
            throw new IllegalStateException("frame " + camera + "/" + seq + ": " + e, e);
        }
        long t0 = System.nanoTime();
        byte[] out =
                annotator.annotate(
                        jpeg,
                        new FrameDetections(
                                camera,
                                seq,
                                captureTs,
                                r.width(),
                                r.height(),
                                model,
                                r.inferenceMs(),
                                r.detections()));
        return new Timed(r, System.nanoTime() - t0, out);
    }

    @Override
    public void close() {
        annotator.close();
        detector.close();
    }
}
