package io.frameflow.job;

import io.frameflow.operators.decode.ImageDecoder;
import io.frameflow.operators.face.FaceEmbedder;
import io.frameflow.operators.face.FaceEnrolment;
import io.frameflow.operators.face.FaceOptions;
import io.frameflow.operators.face.FaceRecognitionFunction;
import io.frameflow.operators.inference.Detector;
import io.frameflow.operators.inference.DetectorSettings;
import io.frameflow.operators.inference.InferenceResult;
import io.frameflow.records.settings.SettingsUpdate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The job's face recognition stage ({@code --face-embedder}): checked once on the client (the
 * embedder's shapes, a detector that gives landmarks, every {@code --faces} photo), then wired
 * after tracking, with the gallery topic as broadcast state.
 */
final class FaceStage {

    private FaceStage() {}

    /**
     * The detector for gallery photos: the job's model, on the CPU with one thread (enrolments are
     * rare and must not take a GPU or the inference threads).
     */
    static DetectorSettings photoDetector(DetectorSettings job) {
        return job.toBuilder().device("cpu").threads(1, 1).build();
    }

    /**
     * Fails at start-up, saying what to fix, when recognition cannot work: the model gives no face
     * landmarks, the embedder does not fit, or a {@code --faces} photo has no face or several.
     */
    /**
     * The job's model that finds faces with landmarks (its {@code --model}, else the first such of
     * its {@code --models}); enrolment photos go through it.
     *
     * @throws IllegalArgumentException when none does
     */
    static DetectorSettings faceModel(List<DetectorSettings> models) {
        for (DetectorSettings m : models) {
            if (Detector.probe(m).format().layout().faceLandmarks()) {
                return m;
            }
        }
        throw new IllegalArgumentException(
                "--face-embedder needs a model that finds faces with 5 landmarks (--model-format"
                        + " yunet, e.g. <shared-dir>/models/yunet_n_dynamic.onnx) as --model or in"
                        + " --models; this job runs "
                        + models.stream().map(DetectorSettings::modelName).toList()
                        + ".");
    }

    static Map<String, byte[]> check(ReadableConfig config, DetectorSettings detector) {
        Map<String, byte[]> photos = FaceOptions.photos(config);
        String embedderPath = config.get(FaceOptions.FACE_EMBEDDER);
        List<String> problems = new ArrayList<>();
        try (Detector faces = Detector.open(photoDetector(detector));
                FaceEmbedder embedder = FaceEmbedder.open(Path.of(embedderPath));
                ImageDecoder decoder = new ImageDecoder()) {
            // faceModel chose a model with landmarks
            FaceEnrolment enrolment =
                    new FaceEnrolment(
                            faces, embedder, decoder, config.get(FaceOptions.FACE_MIN_SIZE));
            for (Map.Entry<String, byte[]> p : photos.entrySet()) {
                try {
                    enrolment.embed(p.getValue());
                } catch (FaceEnrolment.Refused e) {
                    problems.add("--faces photo '" + p.getKey() + "' refused: " + e.getMessage());
                }
            }
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException(
                    "--face-embedder " + embedderPath + ": " + e.getMessage(), e);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return photos;
    }

    /**
     * Names the tracked faces of {@code tracked} (still partitioned by camera: no shuffle), with
     * the gallery topic's records broadcast to every instance.
     */
    static SingleOutputStreamOperator<InferenceResult.Detected> recognise(
            SingleOutputStreamOperator<InferenceResult.Detected> tracked,
            DataStream<SettingsUpdate> gallery,
            ReadableConfig config,
            List<DetectorSettings> models) {
        DetectorSettings detector = faceModel(models);
        Map<String, byte[]> photos = check(config, detector);
        return DataStreamUtils.reinterpretAsKeyedStream(
                        tracked, d -> d.frame().camera(), Types.STRING)
                .connect(gallery.broadcast(FaceRecognitionFunction.GALLERY))
                .process(
                        new FaceRecognitionFunction(
                                photoDetector(detector),
                                config.get(FaceOptions.FACE_EMBEDDER),
                                config.get(FaceOptions.FACE_THRESHOLD),
                                config.get(FaceOptions.FACE_MIN_SIZE),
                                photos))
                .uid(OperatorUids.FACE_RECOGNITION)
                .name("Recognise faces");
    }
}
