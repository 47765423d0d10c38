package io.frameflow.operators.inference;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Output layouts the engine can decode ({@code --model-format}). */
public enum ModelFormat {
    /** Decide from the model's metadata and shapes; fail at start-up when ambiguous. */
    AUTO(Float.NaN, Float.NaN, false),
    /** [1, 4+nc, N], decoded boxes, no objectness (YOLOv8/YOLO11 exports). */
    ULTRALYTICS(0.25f, 0.45f, true),
    /** [1, N, 5+nc], decoded boxes with objectness. */
    YOLOV5(0.25f, 0.45f, true),
    /** [1, N, 5+nc], raw grid offsets over strides 8/16/32. */
    YOLOX(0.30f, 0.45f, false),
    /** [1, 5+nc, G, G] single-scale grid. */
    FASTESTDET(0.65f, 0.45f, false),
    /** scores [1, N, 2] + normalized boxes [1, N, 4]. */
    ULTRAFACE(0.70f, 0.30f, false),
    /** 12 heads: cls/obj/bbox/kps for strides 8/16/32; faces with 5 landmarks. */
    YUNET(0.50f, 0.30f, false);

    /** Default score threshold (from the models README's verified recipes). */
    public final float defaultScore;

    /** Default NMS IoU. */
    public final float defaultIou;

    /** Whether NMS only suppresses boxes of the same class. */
    public final boolean classAwareNms;

    ModelFormat(float defaultScore, float defaultIou, boolean classAwareNms) {
        this.defaultScore = defaultScore;
        this.defaultIou = defaultIou;
        this.classAwareNms = classAwareNms;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ModelFormat parse(String value) {
        for (ModelFormat f : values()) {
            if (f.cliName().equalsIgnoreCase(value.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException(
                "Unknown --model-format '"
                        + value
                        + "'; use one of "
                        + Arrays.stream(values())
                                .map(ModelFormat::cliName)
                                .collect(Collectors.joining(", ")));
    }
}
