package io.frameflow.operators.inference.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameflow.operators.inference.ModelFormat;
import io.frameflow.operators.inference.ModelFormatException;
import io.frameflow.operators.inference.ModelProfile;
import io.frameflow.operators.inference.ModelSignature;
import io.frameflow.operators.inference.layout.OutputLayout.Recognition;
import io.frameflow.operators.preprocess.ResizeMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each layout on its own: it recognises its family's signature and no other layout does, and its
 * profile carries its preprocessing and output shapes. No ONNX Runtime needed.
 */
class OutputLayoutsTest {

    private static ModelSignature sig(Map<String, String> meta, Object... outputs) {
        Map<String, long[]> outs = new LinkedHashMap<>();
        for (int i = 0; i < outputs.length; i += 2) {
            outs.put((String) outputs[i], (long[]) outputs[i + 1]);
        }
        return new ModelSignature(
                "user.onnx", Map.of("images", new long[] {1, 3, 640, 640}), outs, meta);
    }

    private static ModelSignature yunet() {
        List<Object> outs = new ArrayList<>();
        for (String name : YuNetLayout.OUTPUTS) {
            outs.add(name);
            outs.add(new long[] {1, -1, 1});
        }
        return sig(Map.of(), outs.toArray());
    }

    /** One signature per family, with the format that must recognise it. */
    private static Map<ModelFormat, ModelSignature> samples() {
        Map<ModelFormat, ModelSignature> m = new LinkedHashMap<>();
        m.put(ModelFormat.ULTRALYTICS, sig(Map.of(), "out", new long[] {1, 84, 8400}));
        m.put(ModelFormat.ULTRALYTICS_POSE, sig(Map.of(), "out", new long[] {1, 56, 8400}));
        m.put(ModelFormat.YOLOV5, sig(Map.of(), "out", new long[] {1, 25200, 85}));
        m.put(ModelFormat.YOLOX, sig(Map.of(), "out", new long[] {1, 8400, 85}));
        m.put(ModelFormat.FASTESTDET, sig(Map.of(), "out", new long[] {1, 85, 40, 40}));
        m.put(
                ModelFormat.ULTRAFACE,
                sig(Map.of(), "scores", new long[] {1, 4420, 2}, "boxes", new long[] {1, 4420, 4}));
        m.put(ModelFormat.YUNET, yunet());
        return m;
    }

    @Test
    void everyFamilyIsRecognisedByItsLayoutOnly() {
        samples()
                .forEach(
                        (expected, sig) -> {
                            for (ModelFormat f : ModelFormat.values()) {
                                if (f == ModelFormat.AUTO) {
                                    continue;
                                }
                                Recognition r = f.layout().recognize(sig, 640, 640);
                                if (f == expected) {
                                    assertThat(r)
                                            .as("%s on its own", f)
                                            .isNotEqualTo(Recognition.NO);
                                } else {
                                    assertThat(r)
                                            .as("%s on %s", f, expected)
                                            .isEqualTo(Recognition.NO);
                                }
                            }
                        });
    }

    @Test
    void declaredEvidenceIsTellingApartFromShapes() {
        ModelSignature ultralytics =
                sig(Map.of("names", "{0: 'a'}", "task", "detect"), "o", new long[] {1, 5, 8400});
        assertThat(new UltralyticsLayout().recognize(ultralytics, 640, 640))
                .isEqualTo(Recognition.DECLARED);
        assertThat(new YuNetLayout().recognize(yunet(), 640, 640)).isEqualTo(Recognition.DECLARED);
        assertThat(new YoloxLayout().recognize(samples().get(ModelFormat.YOLOX), 640, 640))
                .isEqualTo(Recognition.BY_SHAPE);
        assertThatThrownBy(
                        () ->
                                new UltralyticsLayout()
                                        .recognize(
                                                sig(
                                                        Map.of(
                                                                "names",
                                                                "{0: 'a'}",
                                                                "task",
                                                                "segment"),
                                                        "o",
                                                        new long[] {1, 37, 8400}),
                                                640,
                                                640))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("'segment' model");
    }

    @Test
    void profilesCarryEachLayoutsPreprocessingAndShapes() {
        ModelProfile face =
                new UltraFaceLayout()
                        .profile(
                                new LayoutContext(
                                        samples().get(ModelFormat.ULTRAFACE),
                                        ModelFormat.ULTRAFACE,
                                        "images",
                                        320,
                                        240,
                                        false,
                                        List.of()));
        assertThat(face.preprocess().resize()).isEqualTo(ResizeMode.STRETCH);
        assertThat(face.outputNames()).containsExactly("scores", "boxes");
        assertThat(face.labels()).containsExactly("face");
        assertThat(face.decoder()).isInstanceOf(UltraFaceLayout.Decoder.class);

        ModelProfile yolox =
                new YoloxLayout()
                        .profile(
                                new LayoutContext(
                                        samples().get(ModelFormat.YOLOX),
                                        ModelFormat.YOLOX,
                                        "images",
                                        640,
                                        640,
                                        false,
                                        List.of()));
        assertThat(yolox.preprocess().resize()).isEqualTo(ResizeMode.LETTERBOX_TOP_LEFT);
        assertThat(yolox.preprocess().rgb()).isFalse();
        assertThat(yolox.outputItemShapes().get(0)).containsExactly(8400, 85);
        assertThat(yolox.labels()).hasSize(80).startsWith("person");
        assertThatThrownBy(
                        () ->
                                new YoloxLayout()
                                        .profile(
                                                new LayoutContext(
                                                        samples().get(ModelFormat.YOLOX),
                                                        ModelFormat.YOLOX,
                                                        "images",
                                                        416,
                                                        416,
                                                        false,
                                                        List.of())))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("does not fit --model-format yolox")
                .hasMessageContaining("[1, 3549, 5+nc]");
    }

    @Test
    void defaultsComeFromTheLayouts() {
        assertThat(ModelFormat.YOLOX.layout().defaultScore()).isEqualTo(0.30f);
        assertThat(ModelFormat.ULTRALYTICS.layout().classAwareNms()).isTrue();
        assertThat(ModelFormat.YUNET.layout().defaultIou()).isEqualTo(0.30f);
        assertThatThrownBy(ModelFormat.AUTO::layout).isInstanceOf(IllegalStateException.class);
    }
}
