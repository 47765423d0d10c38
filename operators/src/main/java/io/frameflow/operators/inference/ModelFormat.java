package io.frameflow.operators.inference;

import io.frameflow.operators.inference.layout.FastestDetLayout;
import io.frameflow.operators.inference.layout.OutputLayout;
import io.frameflow.operators.inference.layout.UltraFaceLayout;
import io.frameflow.operators.inference.layout.UltralyticsLayout;
import io.frameflow.operators.inference.layout.UltralyticsPoseLayout;
import io.frameflow.operators.inference.layout.Yolov5Layout;
import io.frameflow.operators.inference.layout.YoloxLayout;
import io.frameflow.operators.inference.layout.YuNetLayout;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The values of {@code --model-format}: {@code auto} and one constant per {@link OutputLayout}.
 * This is the list of formats; everything about a format lives in its layout class, so a new format
 * is one line here. Declaration order is the order of {@code --help} and of recognition.
 */
public enum ModelFormat {
    /** Decide from the model's metadata and shapes; fail at start-up when ambiguous. */
    AUTO(null),
    // before the detect head: by shape alone, a 56-channel head is COCO-pose (17 keypoints), not
    // a 52-class detector
    ULTRALYTICS_POSE(new UltralyticsPoseLayout()),
    ULTRALYTICS(new UltralyticsLayout()),
    YOLOV5(new Yolov5Layout()),
    YOLOX(new YoloxLayout()),
    FASTESTDET(new FastestDetLayout()),
    ULTRAFACE(new UltraFaceLayout()),
    YUNET(new YuNetLayout());

    private final OutputLayout layout;

    ModelFormat(OutputLayout layout) {
        this.layout = layout;
    }

    /** The layout of a concrete format; AUTO has none until resolved against a model. */
    public OutputLayout layout() {
        if (layout == null) {
            throw new IllegalStateException("auto is resolved against a model first");
        }
        return layout;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Every value as {@code --model-format} spells it, comma-separated. */
    public static String choices() {
        return Arrays.stream(values()).map(ModelFormat::cliName).collect(Collectors.joining(", "));
    }

    /**
     * Case-insensitive; the one parser of {@code --model-format}.
     *
     * @throws IllegalArgumentException listing the choices
     */
    public static ModelFormat parse(String value) {
        for (ModelFormat f : values()) {
            if (value != null && f.cliName().equalsIgnoreCase(value.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException(
                "--model-format must be one of " + choices() + "; got '" + value + "'.");
    }
}
