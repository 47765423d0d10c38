package io.frameflow.operators.secondary;

import io.frameflow.operators.config.OptionGroup;
import io.frameflow.operators.config.Problems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * A classifier on the crops of tracked detections ({@link ClassifyCropsFunction}): off by default.
 */
public final class ClassifierOptions implements OptionGroup {

    public static final ClassifierOptions GROUP = new ClassifierOptions();

    public static final ConfigOption<String> CLASSIFIER =
            ConfigOptions.key("classifier")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Image classifier ([N, 3, H, W] -> [N, C] class scores, e.g. an"
                                    + " Ultralytics -cls export, a torchvision or timm model) run"
                                    + " on the crops of tracked detections of --classifier-classes,"
                                    + " once per track and again as the box grows or every 2 s"
                                    + " (at most 8 times); each detection of the track gets the"
                                    + " class of the averaged probabilities as an attribute"
                                    + " (docs/inference.md).");
    public static final ConfigOption<String> CLASSIFIER_CLASSES =
            ConfigOptions.key("classifier-classes")
                    .stringType()
                    .defaultValue("person")
                    .withDescription(
                            "Comma-separated detection labels whose crops the classifier sees.");
    public static final ConfigOption<String> CLASSIFIER_LABELS =
            ConfigOptions.key("classifier-labels")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "The classifier's class names, one per line (default: the model's"
                                    + " 'names' metadata, else class0, class1, ...).");
    public static final ConfigOption<String> CLASSIFIER_NORMALIZATION =
            ConfigOptions.key("classifier-normalization")
                    .stringType()
                    .defaultValue("auto")
                    .withDescription(
                            "How crop pixels become inputs: unit (RGB / 255, Ultralytics),"
                                    + " imagenet (RGB / 255 less ImageNet's mean, over its standard"
                                    + " deviation: torchvision, timm) or auto (unit for an"
                                    + " Ultralytics export, else imagenet).");
    public static final ConfigOption<Integer> CLASSIFIER_MIN_SIZE =
            ConfigOptions.key("classifier-min-size")
                    .intType()
                    .defaultValue(32)
                    .withDescription(
                            "Smallest box side, in pixels, that is classified: smaller boxes show"
                                    + " too little to classify.");

    private static final List<String> NORMALIZATIONS = List.of("auto", "unit", "imagenet");

    private ClassifierOptions() {}

    @Override
    public String title() {
        return "Classifier on crops";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return List.of(
                CLASSIFIER,
                CLASSIFIER_CLASSES,
                CLASSIFIER_LABELS,
                CLASSIFIER_NORMALIZATION,
                CLASSIFIER_MIN_SIZE);
    }

    /** Whether a classifier runs. */
    public static boolean enabled(ReadableConfig config) {
        return !config.get(CLASSIFIER).isBlank();
    }

    /** The labels of {@code --classifier-classes}, in the order given. */
    public static Set<String> classes(ReadableConfig config) {
        Set<String> out = new LinkedHashSet<>();
        Arrays.stream(config.get(CLASSIFIER_CLASSES).split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .forEach(out::add);
        return out;
    }

    /** The normalisation chosen; null = from the model ({@code auto}). */
    public static CropClassifier.Normalization normalization(ReadableConfig config) {
        String n = config.get(CLASSIFIER_NORMALIZATION).strip().toLowerCase(Locale.ROOT);
        return n.equals("auto")
                ? null
                : CropClassifier.Normalization.valueOf(n.toUpperCase(Locale.ROOT));
    }

    /** {@code --classifier-labels}, or null for the model's own. */
    public static String labels(ReadableConfig config) {
        String l = config.get(CLASSIFIER_LABELS);
        return l.isBlank() ? null : l;
    }

    @Override
    public void validate(ReadableConfig config, Problems problems) {
        String n = config.get(CLASSIFIER_NORMALIZATION).strip().toLowerCase(Locale.ROOT);
        problems.check(
                NORMALIZATIONS.contains(n),
                "--classifier-normalization must be one of "
                        + NORMALIZATIONS
                        + ", got '"
                        + config.get(CLASSIFIER_NORMALIZATION)
                        + "'.");
        int minSize = config.get(CLASSIFIER_MIN_SIZE);
        problems.check(
                minSize >= 4, "--classifier-min-size must be at least 4 pixels, got " + minSize);
        String model = config.get(CLASSIFIER);
        String labels = config.get(CLASSIFIER_LABELS);
        if (model.isBlank()) {
            problems.check(
                    labels.isBlank(),
                    "--classifier-labels needs --classifier, the model they name.");
            return;
        }
        problems.check(
                Files.isRegularFile(Path.of(model)),
                "--classifier "
                        + model
                        + " does not exist: give the path of an image classification model"
                        + " ([N, 3, H, W] -> [N, C]).");
        problems.check(
                labels.isBlank() || Files.isRegularFile(Path.of(labels)),
                "--classifier-labels "
                        + labels
                        + " does not exist: give a file of one class per line.");
        problems.check(
                !classes(config).isEmpty(),
                "--classifier-classes is empty: name the detection labels to classify, e.g."
                        + " person.");
    }
}
