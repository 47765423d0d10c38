package io.frameflow.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameflow.records.Frame;
import io.frameflow.records.wire.ImageInfo;
import io.frameflow.records.wire.ImageProbe;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Layout detection on model signatures a user might bring (no ORT needed). */
class FormatResolverTest {

    private static ModelSignature sig(long[] input, Map<String, String> meta, Object... outputs) {
        Map<String, long[]> outs = new LinkedHashMap<>();
        for (int i = 0; i < outputs.length; i += 2) {
            outs.put((String) outputs[i], (long[]) outputs[i + 1]);
        }
        return new ModelSignature("user.onnx", Map.of("images", input), outs, meta);
    }

    @Test
    void shapesDecideWhenTheyAreUnambiguous() {
        long[] in640 = {1, 3, 640, 640};
        assertThat(FormatResolver.detect(sig(in640, Map.of(), "out", new long[] {1, 84, 8400})))
                .isEqualTo(ModelFormat.ULTRALYTICS);
        assertThat(FormatResolver.detect(sig(in640, Map.of(), "out", new long[] {1, 25200, 85})))
                .isEqualTo(ModelFormat.YOLOV5);
        assertThat(FormatResolver.detect(sig(in640, Map.of(), "out", new long[] {1, 8400, 85})))
                .isEqualTo(ModelFormat.YOLOX);
        ModelProfile v5 =
                FormatResolver.resolve(
                        sig(in640, Map.of(), "out", new long[] {1, 25200, 7}),
                        ModelFormat.AUTO,
                        Optional.empty());
        assertThat(v5.labels()).containsExactly("class0", "class1");
    }

    @Test
    void ultralyticsMetadataNamesTheClasses() {
        Map<String, String> meta =
                Map.of(
                        "names",
                        "{0: 'hard hat', 1: \"vest\", 2: 'it\\'s'}",
                        "task",
                        "detect",
                        "imgsz",
                        "[640, 640]");
        ModelProfile p =
                FormatResolver.resolve(
                        sig(new long[] {1, 3, 640, 640}, meta, "output0", new long[] {1, 7, 8400}),
                        ModelFormat.AUTO,
                        Optional.empty());
        assertThat(p.format()).isEqualTo(ModelFormat.ULTRALYTICS);
        assertThat(p.labels()).containsExactly("hard hat", "vest", "it's");
    }

    @Test
    void dynamicUltralyticsExportTakesItsSizeFromImgsz() {
        Map<String, String> meta = Map.of("names", "{0: 'a'}", "imgsz", "[320, 480]");
        ModelProfile p =
                FormatResolver.resolve(
                        sig(new long[] {-1, 3, -1, -1}, meta, "output0", new long[] {-1, 5, -1}),
                        ModelFormat.AUTO,
                        Optional.empty());
        assertThat(p.inputHeight()).isEqualTo(320);
        assertThat(p.inputWidth()).isEqualTo(480);
        assertThat(p.dynamicBatch()).isTrue();
        assertThat(p.outputItemShapes().get(0)).containsExactly(5, 3150);
    }

    @Test
    void ambiguousModelsAskForTheFormat() {
        assertThatThrownBy(
                        () ->
                                FormatResolver.detect(
                                        sig(
                                                new long[] {1, 3, 300, 300},
                                                Map.of(),
                                                "detections",
                                                new long[] {1, 100, 7})))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("Cannot tell the output layout of user.onnx")
                .hasMessageContaining("detections [1, 100, 7]")
                .hasMessageContaining("pass --model-format");
    }

    @Test
    void nonDetectUltralyticsTasksOtherThanPoseAreRejected() {
        Map<String, String> meta = Map.of("names", "{0: 'person'}", "task", "segment");
        assertThatThrownBy(
                        () ->
                                FormatResolver.detect(
                                        sig(
                                                new long[] {1, 3, 640, 640},
                                                meta,
                                                "output0",
                                                new long[] {1, 116, 8400})))
                .hasMessageContaining("'segment' model")
                .hasMessageContaining("only 'detect' and 'pose'");
    }

    @Test
    void poseModelsAreRecognisedByMetadataAndByTheCocoPoseShape() {
        Map<String, String> meta =
                Map.of("names", "{0: 'person'}", "task", "pose", "kpt_shape", "[17, 3]");
        assertThat(
                        FormatResolver.detect(
                                sig(
                                        new long[] {1, 3, 640, 640},
                                        meta,
                                        "output0",
                                        new long[] {1, 56, 8400})))
                .isEqualTo(ModelFormat.ULTRALYTICS_POSE);
        // no metadata: 56 channels = box + 1 class + 17 x (x, y, confidence)
        assertThat(
                        FormatResolver.detect(
                                sig(
                                        new long[] {1, 3, 640, 640},
                                        Map.of(),
                                        "output0",
                                        new long[] {1, 56, 8400})))
                .isEqualTo(ModelFormat.ULTRALYTICS_POSE);
        // an 84-channel head without metadata stays a detector
        assertThat(
                        FormatResolver.detect(
                                sig(
                                        new long[] {1, 3, 640, 640},
                                        Map.of(),
                                        "output0",
                                        new long[] {1, 84, 8400})))
                .isEqualTo(ModelFormat.ULTRALYTICS);
    }

    @Test
    void fewerLabelsThanClassesIsAStartUpError() {
        Map<String, String> meta = Map.of("names", "{0: 'a', 1: 'b'}", "task", "detect");
        assertThatThrownBy(
                        () ->
                                FormatResolver.resolve(
                                        sig(
                                                new long[] {1, 3, 640, 640},
                                                meta,
                                                "o",
                                                new long[] {1, 84, 8400}),
                                        ModelFormat.AUTO,
                                        Optional.empty()))
                .hasMessageContaining("80 classes but only 2 labels");
    }

    @Test
    void formatNamesParseAndUnknownOnesListTheChoices() {
        assertThat(ModelFormat.parse("Ultralytics")).isEqualTo(ModelFormat.ULTRALYTICS);
        assertThatThrownBy(() -> ModelFormat.parse("yolov9"))
                .hasMessageContaining(
                        "auto, ultralytics-pose, ultralytics, yolov5, yolox, fastestdet, ultraface, yunet");
    }

    @Test
    void jpegHeaderGivesTheSizeWithoutDecoding() {
        ImageInfo h = ImageProbe.header(TestFrames.read("images/zidane.jpg"));
        assertThat(h).isEqualTo(new ImageInfo(Frame.JPEG, 1280, 720));
        assertThat(ImageProbe.header("not an image at all, no".getBytes())).isNull();
        assertThat(Labels.fallback(80)).isSameAs(Labels.COCO80);
        assertThat(List.copyOf(Labels.COCO80).indexOf("person")).isZero();
    }
}
