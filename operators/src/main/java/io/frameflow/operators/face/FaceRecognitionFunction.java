package io.frameflow.operators.face;

import io.frameflow.operators.decode.ImageDecoder;
import io.frameflow.operators.inference.Detector;
import io.frameflow.operators.inference.DetectorSettings;
import io.frameflow.operators.inference.InferenceResult;
import io.frameflow.operators.metrics.DeadLetterMetrics;
import io.frameflow.operators.secondary.PerTrack;
import io.frameflow.records.DeadLetter;
import io.frameflow.records.Detection;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.settings.SettingsUpdate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names the faces on each camera's frames: a tracked face (landmarks from a face model such as
 * YuNet, a track id from {@code TrackFunction}) is embedded once per track, and again when it has
 * grown markedly or some time has passed ({@link TrackFace}); the track's averaged embedding is
 * matched against the gallery ({@link FaceGallery}) on every frame, so a person enrolled later is
 * named from the next frame. The label becomes the person's name or {@code unknown}, with the
 * similarity; frames the detector skipped ({@code inferEvery}) carry their tracks' names too.
 *
 * <p>The gallery: {@code --faces} photos enrolled in {@link #open}, under the gallery topic's
 * records (key = name, value = a photo; no value = forget the person), which arrive as broadcast
 * state: each instance detects, aligns and embeds the photo itself, and the embedding is what the
 * state keeps, so a restore needs no photo. A photo with no face or several is refused with a
 * reason (logged, counted and dead-lettered once, by the first instance) and changes nothing.
 */
public class FaceRecognitionFunction
        extends KeyedBroadcastProcessFunction<
                String, InferenceResult.Detected, SettingsUpdate, InferenceResult.Detected> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(FaceRecognitionFunction.class);

    /** Person's name to their embedding (big-endian floats); empty = removed by the topic. */
    public static final MapStateDescriptor<String, byte[]> GALLERY =
            new MapStateDescriptor<>(
                    "face-gallery",
                    Types.STRING,
                    PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    /** Gallery photos refused on arrival, for the dead-letter topic. */
    public static final OutputTag<DeadLetter> REFUSED =
            new OutputTag<>("refused-faces", TypeInformation.of(DeadLetter.class));

    private static final int MAX_NAME_LENGTH = 128;

    private final DetectorSettings faceDetector;
    private final String embedderPath;
    private final double threshold;
    private final int minSize;
    private final Map<String, byte[]> photos; // --faces, by name

    private transient FaceEmbedder embedder;
    private transient Detector detector;
    private transient ImageDecoder decoder;
    private transient FaceEnrolment enrolment;
    private transient Map<String, float[]> fromFolder;
    private transient FaceGallery gallery;
    private transient boolean galleryStale;
    private transient MapState<Long, byte[]> tracks;
    private transient DeadLetterMetrics refusals;

    /**
     * @param faceDetector the job's detector (a face model with landmarks), for gallery photos
     * @param photos {@code --faces}'s photos by name, already checked on the client
     */
    public FaceRecognitionFunction(
            DetectorSettings faceDetector,
            String embedderPath,
            double threshold,
            int minSize,
            Map<String, byte[]> photos) {
        this.faceDetector = faceDetector;
        this.embedderPath = embedderPath;
        this.threshold = threshold;
        this.minSize = minSize;
        this.photos = new HashMap<>(photos);
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        embedder = FaceEmbedder.open(Path.of(embedderPath));
        detector = Detector.open(faceDetector);
        decoder = new ImageDecoder();
        enrolment = new FaceEnrolment(detector, embedder, decoder, minSize);
        fromFolder = new HashMap<>();
        for (Map.Entry<String, byte[]> p : photos.entrySet()) {
            fromFolder.put(p.getKey(), enrolment.embed(p.getValue()));
        }
        galleryStale = true;
        tracks = getRuntimeContext().getMapState(PerTrack.state("face-tracks"));
        refusals = new DeadLetterMetrics(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processBroadcastElement(
            SettingsUpdate update, Context ctx, Collector<InferenceResult.Detected> out)
            throws Exception {
        String name = new String(update.key(), StandardCharsets.UTF_8).strip();
        BroadcastState<String, byte[]> state = ctx.getBroadcastState(GALLERY);
        try {
            if (name.isEmpty()
                    || name.length() > MAX_NAME_LENGTH
                    || name.chars().anyMatch(Character::isISOControl)) {
                throw new FaceEnrolment.Refused(
                        "face-bad-name",
                        "the key must be the person's name, 1 to "
                                + MAX_NAME_LENGTH
                                + " printable characters");
            }
            if (update.isDelete()) {
                state.put(name, new byte[0]);
                LOG.info("Face gallery: '{}' removed", name);
            } else {
                state.put(name, FaceEnrolment.toBytes(enrolment.embed(update.value())));
                LOG.info("Face gallery: '{}' enrolled", name);
            }
            galleryStale = true;
        } catch (FaceEnrolment.Refused e) {
            if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() != 0) {
                return; // every instance sees the photo; one reports it
            }
            refusals.counter(e.code()).inc();
            LOG.warn("Face photo for '{}' refused: {}", name, e.getMessage());
            ctx.output(REFUSED, update.refused(ctx.currentProcessingTime(), e.reason()));
        }
    }

    @Override
    public void processElement(
            InferenceResult.Detected in,
            ReadOnlyContext ctx,
            Collector<InferenceResult.Detected> out)
            throws Exception {
        FrameDetections d = in.detections();
        if (d.detections() == null || d.detections().isEmpty()) {
            out.collect(in);
            return;
        }
        FaceGallery known = gallery(ctx.getBroadcastState(GALLERY));
        Mat image = null;
        boolean changed = false;
        List<Detection> named = new ArrayList<>(d.detections().size());
        for (Detection det : d.detections()) {
            float width = det.x2() - det.x1();
            if (det.trackId() == Detection.NO_TRACK || width < minSize) {
                named.add(det);
                continue;
            }
            byte[] stored = tracks.get(det.trackId());
            TrackFace face =
                    stored == null
                            ? new TrackFace(embedder.dimensions())
                            : TrackFace.fromBytes(stored);
            boolean dirty = false;
            if (det.landmarks() != null && face.embeddings.wantsSample(width, d.captureTs())) {
                if (image == null) {
                    image = PerTrack.pixels(decoder, in);
                }
                if (image != null) {
                    face.embeddings.add(
                            embedder.embed(image, det.landmarks()), width, d.captureTs());
                    dirty = true;
                }
            }
            if (face.embeddings.count() == 0) {
                named.add(det); // not seen closely enough yet
                continue;
            }
            FaceGallery.Match m = name(face, known);
            if (m.known() && !m.name().equals(face.name)) {
                face.name = m.name();
                dirty = true;
            }
            if (dirty) {
                tracks.put(det.trackId(), face.toBytes());
            }
            named.add(det.recognisedAs(m.name(), m.similarity()));
            changed = true;
        }
        out.collect(
                changed ? new InferenceResult.Detected(in.frame(), d.withDetections(named)) : in);
    }

    /**
     * The track's name: whoever its averaged embedding matches; failing that, the name it was given
     * before, while that person is still known (a turned head lowers the average for a while; it
     * does not make a known person a stranger).
     */
    private static FaceGallery.Match name(TrackFace face, FaceGallery known) {
        FaceGallery.Match m = known.match(face.embeddings.sum());
        if (m.known() || face.name == null) {
            return m;
        }
        float similarity = known.similarityTo(face.name, face.embeddings.sum());
        return Float.isNaN(similarity) ? m : new FaceGallery.Match(face.name, similarity);
    }

    /** The folder's people under the topic's, rebuilt after the topic changed them. */
    private FaceGallery gallery(ReadOnlyBroadcastState<String, byte[]> state) throws Exception {
        if (galleryStale || gallery == null) {
            FaceGallery g = new FaceGallery(threshold);
            fromFolder.forEach(g::put);
            for (Map.Entry<String, byte[]> e : state.immutableEntries()) {
                if (e.getValue().length == 0) {
                    g.remove(e.getKey());
                } else {
                    g.put(e.getKey(), FaceEnrolment.fromBytes(e.getValue()));
                }
            }
            gallery = g;
            galleryStale = false;
        }
        return gallery;
    }

    @Override
    public void close() throws Exception {
        if (decoder != null) {
            decoder.close();
        }
        if (detector != null) {
            detector.close();
        }
        if (embedder != null) {
            embedder.close();
        }
        super.close();
    }
}
