package io.frameflow.operators.secondary;

import io.frameflow.operators.decode.ImageDecoder;
import io.frameflow.operators.inference.InferenceResult;
import io.frameflow.records.Attribute;
import io.frameflow.records.Detection;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.metrics.FrameFlowMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.groups.AbstractMetricGroup;
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
    private final long pollMs; // 0 = the file is not watched

    private transient ClassifierRollout rollout;
    private transient CropClassifier classifier; // the version for the frame at hand
    private transient ImageDecoder decoder;
    private transient MapState<Long, byte[]> tracks;
    private transient MetricGroup metrics;
    private transient MetricGroup version; // the running version's series
    private transient Counter crops; // its crops_classified
    private transient Counter failures; // its model_reload_failures

    /**
     * @param classes detection labels whose crops are classified; empty = all
     * @param minSize smallest box side, pixels, worth a crop
     */
    public ClassifyCropsFunction(
            String modelPath,
            String labelsPath,
            CropClassifier.Normalization normalization,
            Set<String> classes,
            int minSize,
            Duration pollInterval) {
        this.modelPath = modelPath;
        this.labelsPath = labelsPath;
        this.normalization = normalization;
        this.classes = Set.copyOf(classes);
        this.minSize = minSize;
        this.pollMs = pollInterval.toMillis();
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        metrics = getRuntimeContext().getMetricGroup().addGroup(FrameFlowMetrics.GROUP);
        rollout =
                new ClassifierRollout(
                        Path.of(modelPath),
                        file ->
                                CropClassifier.open(
                                        file,
                                        labelsPath == null ? null : Path.of(labelsPath),
                                        normalization),
                        pollMs,
                        new MetricsRollout());
        classifier = rollout.current(0);
        register(classifier);
        decoder = new ImageDecoder();
        tracks = getRuntimeContext().getMapState(PerTrack.state("classified-tracks"));
    }

    /**
     * A version's series, under {@code device=cpu} and {@code model=name@version} as the detectors'
     * are: {@code model_info}, its crops and its refused replacements; a rollout shows as a new
     * series and the old one leaves the scrape.
     */
    private void register(CropClassifier c) {
        version =
                metrics.addGroup(FrameFlowMetrics.DEVICE, "cpu")
                        .addGroup(FrameFlowMetrics.MODEL, c.model());
        version.gauge(FrameFlowMetrics.NAME_MODEL_INFO, () -> 1);
        crops = version.counter(FrameFlowMetrics.NAME_CROPS_CLASSIFIED);
        failures = version.counter(FrameFlowMetrics.NAME_MODEL_RELOAD_FAILURES);
    }

    private final class MetricsRollout implements ClassifierRollout.Listener {
        @Override
        public void swapped(CropClassifier before, CropClassifier now) {
            if (version instanceof AbstractMetricGroup<?> closable) {
                closable.close();
            }
            register(now);
        }

        @Override
        public void refused(CropClassifier running, String reason) {
            failures.inc();
        }
    }

    @Override
    public void processElement(
            InferenceResult.Detected in, Context ctx, Collector<InferenceResult.Detected> out)
            throws Exception {
        classifier = rollout.current(ctx.timerService().currentProcessingTime());
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
            TrackAverage t =
                    ClassifiedTrack.fromBytes(
                            tracks.get(det.trackId()),
                            classifier.model(),
                            classifier.labels().size());
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
                    tracks.put(toSample.get(i), ClassifiedTrack.toBytes(classifier.model(), t));
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

    /** Replacements of the running version's file that did not load (its metric's count). */
    long reloadFailures() {
        return failures.getCount();
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
        if (rollout != null) {
            rollout.close();
        }
        super.close();
    }
}
