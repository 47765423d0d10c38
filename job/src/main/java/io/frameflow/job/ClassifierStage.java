package io.frameflow.job;

import io.frameflow.operators.inference.Detector;
import io.frameflow.operators.inference.DetectorSettings;
import io.frameflow.operators.inference.InferenceOptions;
import io.frameflow.operators.inference.InferenceResult;
import io.frameflow.operators.secondary.ClassifierOptions;
import io.frameflow.operators.secondary.ClassifyCropsFunction;
import io.frameflow.operators.secondary.CropClassifier;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The job's classifier on crops ({@code --classifier}): checked once on the client (the model's
 * shapes and labels; classes some model of the job detects), then wired after tracking, keyed by
 * camera without a shuffle.
 */
final class ClassifierStage {

    private ClassifierStage() {}

    /**
     * Fails at start-up, saying what to fix, when the classifier is not an {@code [N, 3, H, W] ->
     * [N, C]} model, its labels do not fit, or no model of the job finds a class it is for.
     */
    static void check(ReadableConfig config, List<DetectorSettings> models) {
        String file = config.get(ClassifierOptions.CLASSIFIER);
        String labels = ClassifierOptions.labels(config);
        try (CropClassifier c =
                CropClassifier.open(
                        Path.of(file),
                        labels == null ? null : Path.of(labels),
                        ClassifierOptions.normalization(config))) {
            // opened: shapes and labels fit
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("--classifier " + file + ": " + e.getMessage(), e);
        }
        Set<String> detected = new LinkedHashSet<>();
        for (DetectorSettings m : models) {
            try (Detector d = Detector.open(m.toBuilder().device("cpu").threads(1, 1).build())) {
                detected.addAll(d.profile().labels());
            }
        }
        Set<String> classes = ClassifierOptions.classes(config);
        if (classes.stream().noneMatch(detected::contains)) {
            throw new IllegalArgumentException(
                    "--classifier-classes "
                            + classes
                            + ": no model of this job detects any of them; its models' labels"
                            + " include "
                            + detected.stream().limit(12).toList()
                            + ".");
        }
    }

    /** Classifies the crops of {@code tracked} (still partitioned by camera: no shuffle). */
    static SingleOutputStreamOperator<InferenceResult.Detected> classify(
            SingleOutputStreamOperator<InferenceResult.Detected> tracked,
            ReadableConfig config,
            List<DetectorSettings> models) {
        check(config, models);
        return DataStreamUtils.reinterpretAsKeyedStream(
                        tracked, d -> d.frame().camera(), Types.STRING)
                .process(
                        new ClassifyCropsFunction(
                                config.get(ClassifierOptions.CLASSIFIER),
                                ClassifierOptions.labels(config),
                                ClassifierOptions.normalization(config),
                                ClassifierOptions.classes(config),
                                config.get(ClassifierOptions.CLASSIFIER_MIN_SIZE),
                                config.get(InferenceOptions.MODEL_POLL_INTERVAL)))
                .uid(OperatorUids.CLASSIFY_CROPS)
                .name("Classify crops");
    }
}
