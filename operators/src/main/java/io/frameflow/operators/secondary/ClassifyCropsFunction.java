package io.frameflow.operators.secondary;

import io.frameflow.operators.decode.ImageDecoder;
import io.frameflow.operators.inference.InferenceResult;
import io.frameflow.records.Attribute;
import io.frameflow.records.Detection;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.metrics.FrameFlowMetrics;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Runs a classifier ({@link CropClassifier}) on the crops of each camera's tracked detections, once
 * per track and again as its box grows or time passes ({@link TrackAverage}), and gives every
 * detection of that track the class of its averaged probabilities as an {@link Attribute}: a
 * person's vest or helmet, a vehicle's type. Frames the detector skipped ({@code inferEvery}) carry
 * their tracks' attributes without running the classifier (their boxes are predictions). The crops
 * of one frame run as one batch.
 *
 * <p>Keyed by camera, state per track (its averaged probabilities), forgotten after {@link
 * PerTrack#TRACK_TTL} without the track.
 */
public class ClassifyCropsFunction
        extends KeyedProcessFunction<String, InferenceResult.Detected, InferenceResult.Detected> {

    private static final long serialVersionUID = 1L;

    private final String modelPath;
    private final String labelsPath; // null = the model's metadata
    private final CropClassifier.Normalization normalization; // null = from the model
    private final Set<String> classes; // empty = every class
    private final int minSize;

    private transient CropClassifier classifier;
    private transient ImageDecoder decoder;
    private transient MapState<Long, byte[]> tracks;
    private transient Counter crops;

    /**
     * @param classes detection labels whose crops are classified; empty = all
     * @param minSize smallest box side, pixels, worth a crop
     */
    public ClassifyCropsFunction(
            String modelPath,
            String labelsPath,
            CropClassifier.Normalization normalization,
            Set<String> classes,
            int minSize) {
        this.modelPath = modelPath;
        this.labelsPath = labelsPath;
        this.normalization = normalization;
        this.classes = Set.copyOf(classes);
        this.minSize = minSize;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        classifier =
                CropClassifier.open(
                        Path.of(modelPath),
                        labelsPath == null ? null : Path.of(labelsPath),
                        normalization);
        decoder = new ImageDecoder();
        tracks = getRuntimeContext().getMapState(PerTrack.state("classified-tracks"));
        crops =
                getRuntimeContext()
                        .getMetricGroup()
                        .addGroup(FrameFlowMetrics.GROUP)
                        .addGroup(FrameFlowMetrics.MODEL, classifier.model())
                        .counter(FrameFlowMetrics.NAME_CROPS_CLASSIFIED);
    }

    @Override
    public void processElement(
            InferenceResult.Detected in, Context ctx, Collector<InferenceResult.Detected> out)
            throws Exception {
        FrameDetections d = in.detections();
        if (d.detections() == null || d.detections().isEmpty()) {
            out.collect(in);
            return;
        }
        Map<Long, TrackAverage> seen = new HashMap<>();
        List<Long> toSample = new ArrayList<>();
        List<float[]> boxes = new ArrayList<>();
        List<Float> widths = new ArrayList<>();
        for (Detection det : d.detections()) {
            if (!wanted(det) || seen.containsKey(det.trackId())) {
                continue;
            }
            byte[] stored = tracks.get(det.trackId());
            TrackAverage t =
                    stored == null
                            ? new TrackAverage(classifier.labels().size())
                            : TrackAverage.read(ByteBuffer.wrap(stored));
            seen.put(det.trackId(), t);
            float width = det.x2() - det.x1();
            if (!d.predicted() && t.wantsSample(width, d.captureTs())) {
                toSample.add(det.trackId());
                boxes.add(new float[] {det.x1(), det.y1(), det.x2(), det.y2()});
                widths.add(width);
            }
        }
        if (seen.isEmpty()) {
            out.collect(in);
            return;
        }
        if (!boxes.isEmpty()) {
            Mat image = PerTrack.pixels(decoder, in);
            if (image != null) {
                float[][] probabilities = classifier.classify(image, boxes);
                crops.inc(boxes.size());
                for (int i = 0; i < probabilities.length; i++) {
                    TrackAverage t = seen.get(toSample.get(i));
                    t.add(probabilities[i], widths.get(i), d.captureTs());
                    ByteBuffer b = ByteBuffer.allocate(t.byteSize());
                    t.write(b);
                    tracks.put(toSample.get(i), b.array());
                }
            }
        }
        List<Detection> labelled = new ArrayList<>(d.detections().size());
        boolean changed = false;
        for (Detection det : d.detections()) {
            TrackAverage t = wanted(det) ? seen.get(det.trackId()) : null;
            if (t == null || t.count() == 0) {
                labelled.add(det);
                continue;
            }
            TrackAverage.Best best = t.best();
            labelled.add(
                    det.withAttribute(
                            new Attribute(
                                    classifier.model(),
                                    classifier.labels().get(best.index()),
                                    best.value())));
            changed = true;
        }
        out.collect(
                changed
                        ? new InferenceResult.Detected(in.frame(), d.withDetections(labelled))
                        : in);
    }

    /** Crops classified so far by this instance (its metric's count). */
    long cropsClassified() {
        return crops.getCount();
    }

    /** A detection on a confirmed track, of a chosen class, big enough to show something. */
    private boolean wanted(Detection det) {
        return det.trackId() != Detection.NO_TRACK
                && (classes.isEmpty() || classes.contains(det.label()))
                && det.x2() - det.x1() >= minSize
                && det.y2() - det.y1() >= minSize;
    }

    @Override
    public void close() throws Exception {
        if (decoder != null) {
            decoder.close();
        }
        if (classifier != null) {
            classifier.close();
        }
        super.close();
    }
}
