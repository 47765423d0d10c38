package io.frameflow.operators.face;

import io.frameflow.operators.config.OptionGroup;
import io.frameflow.operators.config.Problems;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/** Face recognition ({@link FaceRecognitionFunction}): off unless an embedder is given. */
public final class FaceOptions implements OptionGroup {

    public static final FaceOptions GROUP = new FaceOptions();

    public static final ConfigOption<String> FACE_EMBEDDER =
            ConfigOptions.key("face-embedder")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Face embedding model ([1, 3, 112, 112] -> [1, D], e.g."
                                    + " <shared-dir>/models/mobilefacenet.onnx): turns face"
                                    + " recognition on. Needs a --model that gives 5 face"
                                    + " landmarks (yunet); each face's label becomes the name of"
                                    + " the nearest person of the gallery, or \"unknown\""
                                    + " (docs/faces.md).");
    public static final ConfigOption<String> FACES =
            ConfigOptions.key("faces")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "A folder of photos (.jpg, .jpeg, .png), one face each, enrolled at"
                                    + " start-up: the file name without its extension is the"
                                    + " person's name. The gallery topic adds to and replaces"
                                    + " these.");
    public static final ConfigOption<Double> FACE_THRESHOLD =
            ConfigOptions.key("face-threshold")
                    .doubleType()
                    .defaultValue(FaceGallery.DEFAULT_THRESHOLD)
                    .withDescription(
                            "Cosine similarity (0..1) a track's averaged face embedding needs to"
                                    + " take a person's name; below it the face is \"unknown\".");
    public static final ConfigOption<Integer> FACE_MIN_SIZE =
            ConfigOptions.key("face-min-size")
                    .intType()
                    .defaultValue(30)
                    .withDescription(
                            "Narrowest face, in pixels, that is recognised (and that a gallery"
                                    + " photo must show): smaller faces keep the detector's label.");

    /** Photo file endings read from {@code --faces}. */
    static final List<String> PHOTO_ENDINGS = List.of(".jpg", ".jpeg", ".png");

    private FaceOptions() {}

    @Override
    public String title() {
        return "Face recognition";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return List.of(FACE_EMBEDDER, FACES, FACE_THRESHOLD, FACE_MIN_SIZE);
    }

    /** Whether face recognition is on. */
    public static boolean enabled(ReadableConfig config) {
        return !config.get(FACE_EMBEDDER).isBlank();
    }

    @Override
    public void validate(ReadableConfig config, Problems problems) {
        double threshold = config.get(FACE_THRESHOLD);
        problems.check(
                threshold > 0 && threshold < 1,
                "--face-threshold must be between 0 and 1, got " + threshold + ".");
        int minSize = config.get(FACE_MIN_SIZE);
        problems.check(minSize >= 8, "--face-min-size must be at least 8 pixels, got " + minSize);
        String embedder = config.get(FACE_EMBEDDER);
        if (!embedder.isBlank()) {
            problems.check(
                    Files.isRegularFile(Path.of(embedder)),
                    "--face-embedder "
                            + embedder
                            + " does not exist: give the path of a face embedding model such as"
                            + " mobilefacenet.onnx.");
        }
        String dir = config.get(FACES);
        if (!dir.isBlank()) {
            problems.check(
                    !embedder.isBlank(),
                    "--faces needs --face-embedder: without an embedding model nobody is"
                            + " recognised.");
            if (!Files.isDirectory(Path.of(dir))) {
                problems.check(false, "--faces " + dir + " is not a folder of photos.");
            } else {
                problems.check(
                        !photos(config).isEmpty(),
                        "--faces "
                                + dir
                                + " has no photos (.jpg, .jpeg, .png): put one photo per person"
                                + " there, named after them.");
            }
        }
    }

    /**
     * The photos of {@code --faces} by name (file name without extension), in name order; empty
     * without the option.
     */
    public static Map<String, byte[]> photos(ReadableConfig config) {
        Map<String, byte[]> out = new TreeMap<>();
        String dir = config.get(FACES);
        if (dir.isBlank()) {
            return out;
        }
        try (Stream<Path> files = Files.list(Path.of(dir))) {
            for (Path f : files.sorted().toList()) {
                String file = f.getFileName().toString();
                String lower = file.toLowerCase(Locale.ROOT);
                for (String ending : PHOTO_ENDINGS) {
                    if (lower.endsWith(ending) && Files.isRegularFile(f)) {
                        out.put(
                                file.substring(0, file.length() - ending.length()),
                                Files.readAllBytes(f));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read --faces " + dir, e);
        }
        return out;
    }
}
