package io.frameflow.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.frameflow.operators.decode.UndecodableImageException;
import io.frameflow.records.Detection;
import io.frameflow.testkit.SharedResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** The plain-Java detector: formats, boxes, landmarks, batching, labels, filters and errors. */
class DetectorTest {

    private static DetectorSettings.Builder cpu(String model) {
        return DetectorSettings.forModel(TestFrames.model(model)).device("cpu").threads(1, 1);
    }

    private static float iou(Detection d, float[] box) {
        float iw = Math.min(d.x2(), box[2]) - Math.max(d.x1(), box[0]);
        float ih = Math.min(d.y2(), box[3]) - Math.max(d.y1(), box[1]);
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        float inter = iw * ih;
        float a = (d.x2() - d.x1()) * (d.y2() - d.y1());
        float b = (box[2] - box[0]) * (box[3] - box[1]);
        return inter / (a + b - inter);
    }

    @Test
    void yoloxBusBoxesMatchTheModelsReadme() throws Exception {
        try (Detector detector = Detector.open(cpu("yolox_nano.onnx").build())) {
            FrameResult r = detector.detect(TestFrames.read("images/bus.jpg"));
            assertThat(r.width()).isEqualTo(810);
            assertThat(r.height()).isEqualTo(1080);
            Object[][] expected = {
                {"bus", new float[] {14, 231, 800, 735}},
                {"person", new float[] {51, 394, 216, 898}},
                {"person", new float[] {219, 402, 347, 854}},
                {"person", new float[] {685, 452, 810, 875}},
            };
            for (Object[] e : expected) {
                float[] box = (float[]) e[1];
                float best =
                        r.detections().stream()
                                .filter(d -> d.label().equals(e[0]))
                                .map(d -> iou(d, box))
                                .max(Float::compare)
                                .orElse(0f);
                assertThat(best)
                        .as("%s %s", e[0], java.util.Arrays.toString(box))
                        .isGreaterThanOrEqualTo(0.9f);
            }
            assertThat(r.detections())
                    .filteredOn(d -> d.label().equals("bus"))
                    .singleElement()
                    .satisfies(d -> assertThat(d.score()).isCloseTo(0.91f, within(0.02f)));
        }
    }

    @Test
    void autoPicksTheLayoutFromMetadataAndShapes() {
        String[][] cases = {
            {"yolox_nano.onnx", "YOLOX"},
            {"yolov8n_int8.onnx", "ULTRALYTICS"},
            {"FastestDet.onnx", "FASTESTDET"},
            {"version-RFB-320.onnx", "ULTRAFACE"},
            {"yunet_n_dynamic.onnx", "YUNET"},
        };
        for (String[] c : cases) {
            try (Detector detector = Detector.open(cpu(c[0]).build())) {
                assertThat(detector.info().format()).as(c[0]).isEqualTo(ModelFormat.valueOf(c[1]));
            }
        }
    }

    @Test
    void ultralyticsLabelsComeFromTheModelMetadata() throws Exception {
        try (Detector detector = Detector.open(cpu("yolov8n_int8.onnx").build())) {
            assertThat(detector.profile().labels()).hasSize(80);
            assertThat(detector.profile().labels().get(0)).isEqualTo("person");
            assertThat(detector.profile().labels().get(5)).isEqualTo("bus");
            FrameResult r = detector.detect(TestFrames.read("images/bus.jpg"));
            assertThat(r.count("person")).isEqualTo(4);
            assertThat(r.count("bus")).isEqualTo(1);
        }
    }

    @Test
    void labelsFileAndClassFilter() throws Exception {
        DetectorSettings c =
                cpu("yolox_nano.onnx")
                        .labels(SharedResources.model("coco80.txt"))
                        .classFilter(List.of("person"))
                        .build();
        try (Detector detector = Detector.open(c)) {
            assertThat(detector.profile().labels()).isEqualTo(Labels.COCO80);
            FrameResult r = detector.detect(TestFrames.read("images/bus.jpg"));
            assertThat(r.detections()).hasSize(3).allMatch(d -> d.label().equals("person"));
        }
        assertThatThrownBy(
                        () ->
                                Detector.open(
                                        cpu("yolox_nano.onnx")
                                                .classFilter(List.of("persn"))
                                                .build()))
                .hasMessageContaining("'persn' is not a label")
                .hasMessageContaining("person");
    }

    @Test
    void yunetGivesFiveLandmarksInsideEachFace() throws Exception {
        try (Detector detector = Detector.open(cpu("yunet_n_dynamic.onnx").build())) {
            FrameResult r = detector.detect(TestFrames.read("images/faces_family_5.jpg"));
            assertThat(r.detections()).hasSize(5);
            for (Detection d : r.detections()) {
                assertThat(d.label()).isEqualTo("face");
                assertThat(d.landmarks()).hasSize(10);
                float padX = (d.x2() - d.x1()) * 0.1f;
                float padY = (d.y2() - d.y1()) * 0.1f;
                for (int k = 0; k < 10; k += 2) {
                    assertThat(d.landmarks()[k]).isBetween(d.x1() - padX, d.x2() + padX);
                    assertThat(d.landmarks()[k + 1]).isBetween(d.y1() - padY, d.y2() + padY);
                }
                // eyes above the mouth corners
                assertThat(d.landmarks()[1]).isLessThan(d.landmarks()[7]);
            }
        }
    }

    @Test
    void yunetBatchOfFourEqualsFourSingleRuns() throws Exception {
        List<byte[]> frames = TestFrames.clip("classroom").subList(0, 4);
        try (Detector detector =
                Detector.open(cpu("yunet_n_dynamic.onnx").batching(4, Duration.ZERO).build())) {
            assertThat(detector.maxBatch()).isEqualTo(4);
            List<FrameResult> single = new ArrayList<>();
            for (byte[] f : frames) {
                single.add(detector.detect(f));
            }
            List<PreparedFrame> prepared = new ArrayList<>();
            for (byte[] f : frames) {
                prepared.add(detector.prepare(f));
            }
            List<FrameResult> batched = detector.infer(prepared);
            assertThat(batched).hasSize(4).allMatch(r -> r.batchSize() == 4);
            for (int i = 0; i < 4; i++) {
                List<Detection> a = single.get(i).detections();
                List<Detection> b = batched.get(i).detections();
                assertThat(b).hasSameSizeAs(a);
                for (int k = 0; k < a.size(); k++) {
                    assertThat(b.get(k).x1()).isCloseTo(a.get(k).x1(), within(0.5f));
                    assertThat(b.get(k).score()).isCloseTo(a.get(k).score(), within(1e-3f));
                }
            }
        }
    }

    @Test
    void fixedBatchModelsRunOneFrameAtATime() {
        try (Detector detector =
                Detector.open(cpu("yolox_nano.onnx").batching(8, Duration.ofMillis(5)).build())) {
            assertThat(detector.maxBatch()).isEqualTo(1);
            assertThat(detector.info().inputShape()).isEqualTo("[1, 3, 416, 416]");
        }
    }

    @Test
    void pngFramesAreDecodedToo() throws Exception {
        byte[] png;
        try (Mat bus = opencv_imgcodecs.imread(SharedResources.media("images/bus.jpg").toString());
                BytePointer buf = new BytePointer()) {
            opencv_imgcodecs.imencode(".png", bus, buf);
            png = new byte[(int) buf.limit()];
            buf.get(png);
        }
        try (Detector detector = Detector.open(cpu("yolox_nano.onnx").build())) {
            FrameResult r = detector.detect(png);
            assertThat(r.width()).isEqualTo(810);
            assertThat(r.count("person")).isEqualTo(3);
        }
    }

    @Test
    void undecodableBytesAreAClearError() {
        try (Detector detector = Detector.open(cpu("FastestDet.onnx").build())) {
            assertThatThrownBy(() -> detector.detect(new byte[] {1, 2, 3, 4, 5}))
                    .isInstanceOf(UndecodableImageException.class)
                    .hasMessageStartingWith("undecodable-image: ");
            byte[] bus = TestFrames.read("images/bus.jpg");
            // a broken frame right after a good one must not reuse the good one's pixels
            assertThat(
                            org.assertj.core.api.Assertions.catchThrowable(
                                    () -> {
                                        detector.detect(bus);
                                        detector.detect(new byte[] {0x47, 0x49, 0x46});
                                    }))
                    .isInstanceOf(UndecodableImageException.class);
            byte[] corrupt = java.util.Arrays.copyOf(bus, 600); // header only, no scan data
            // whatever OpenCV makes of a cut-off JPEG, the detector must not throw anything else
            try {
                detector.detect(corrupt);
            } catch (UndecodableImageException expected) {
                assertThat(expected.getMessage()).startsWith("undecodable-image: ");
            } catch (Exception other) {
                throw new AssertionError("unexpected " + other, other);
            }
        }
    }

    @Test
    void wrongFormatFailsAtStartUpNamingFileAndShapes() {
        assertThatThrownBy(
                        () ->
                                Detector.open(
                                        cpu("yolox_nano.onnx")
                                                .format(ModelFormat.ULTRAFACE)
                                                .build()))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("yolox_nano.onnx")
                .hasMessageContaining("output [1, 3549, 85]")
                .hasMessageContaining("expected scores [1, N, 2] and boxes [1, N, 4]");
        assertThatThrownBy(
                        () ->
                                Detector.open(
                                        cpu("FastestDet.onnx")
                                                .format(ModelFormat.ULTRALYTICS)
                                                .build()))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("FastestDet.onnx")
                .hasMessageContaining("[1, 85, 22, 22]")
                .hasMessageContaining("expected one output [1, 4+nc, N]");
        assertThatThrownBy(
                        () ->
                                Detector.open(
                                        cpu("yunet_n_dynamic.onnx")
                                                .format(ModelFormat.YOLOX)
                                                .build()))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("yunet_n_dynamic.onnx");
    }

    @Test
    void probeChecksAModelWithoutKeepingIt() {
        ModelInfo info =
                Detector.probe(
                        DetectorSettings.forModel(TestFrames.model("yolov8n_int8.onnx")).build());
        assertThat(info.format()).isEqualTo(ModelFormat.ULTRALYTICS);
        assertThat(info.inputShape()).isEqualTo("[1, 3, 640, 640]");
        assertThat(info.name()).isEqualTo("yolov8n_int8");
        assertThatThrownBy(
                        () ->
                                Detector.probe(
                                        DetectorSettings.forModel(
                                                        TestFrames.model("yolox_nano.onnx"))
                                                .classFilter(List.of("unicorn"))
                                                .build()))
                .hasMessageContaining("'unicorn' is not a label");
    }

    @Test
    void missingOrBrokenModelFailsAtStartUp() {
        assertThatThrownBy(
                        () ->
                                Detector.open(
                                        DetectorSettings.forModel("no/such/model.onnx").build()))
                .hasMessageContaining("Model file not found")
                .hasMessageContaining("model.onnx");
        String notAModel = SharedResources.model("coco80.txt").toString();
        assertThatThrownBy(
                        () ->
                                Detector.open(
                                        DetectorSettings.forModel(notAModel).device("cpu").build()))
                .hasMessageContaining("Cannot load the model")
                .hasMessageContaining("not a valid ONNX model")
                .hasMessageContaining("--model FILE")
                .hasMessageContaining("coco80.txt");
        // auto tries CUDA first: a broken file must still read as a broken file, not a GPU issue
        assertThatThrownBy(() -> Detector.open(DetectorSettings.forModel(notAModel).build()))
                .hasMessageContaining("not a valid ONNX model")
                .hasMessageContaining("coco80.txt");
    }

    @Test
    void deviceAutoFallsBackToCpuWithOneWarning() {
        try (Detector detector = Detector.open(cpu("yolox_nano.onnx").device("auto").build())) {
            assertThat(detector.info().provider()).isEqualTo("CPUExecutionProvider");
            assertThat(detector.info().device()).isEqualTo("cpu");
            assertThat(detector.info().fallbackWarning())
                    .startsWith("--device auto: CUDA is not usable here")
                    .contains("falling back to CPU");
        }
        try (Detector detector = Detector.open(cpu("yolox_nano.onnx").build())) {
            assertThat(detector.info().fallbackWarning()).isNull();
        }
        // every slot of a TaskManager loads the model: the warning is logged for the first only
        java.nio.file.Path other = java.nio.file.Path.of("slot-test", "model.onnx");
        assertThat(SessionLoader.firstFallback(other)).isTrue();
        assertThat(SessionLoader.firstFallback(other)).isFalse();
        assertThat(SessionLoader.firstFallback(java.nio.file.Path.of("slot-test", "other.onnx")))
                .isTrue();
    }

    @Test
    void deviceCudaFailsStartUpSayingWhatIsMissing() {
        assertThatThrownBy(() -> Detector.open(cpu("yolox_nano.onnx").device("cuda:0").build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(
                        "--device cuda:0: cannot run yolox_nano.onnx on CUDA device 0")
                .hasMessageContaining("-Pgpu")
                .hasMessageContaining("Use --device cpu or --device auto");
        assertThatThrownBy(() -> DeviceSpec.parse("tpu"))
                .hasMessageContaining("use auto, cpu, cuda or cuda:N");
        // one parser for every caller: gpu is refused everywhere, with the right spelling
        assertThatThrownBy(() -> DeviceSpec.parse("gpu"))
                .hasMessageContaining("--device must be auto, cpu, cuda or cuda:N")
                .hasMessageContaining("did you mean cuda?");
        assertThat(DeviceSpec.parse(" CUDA:1 ")).isEqualTo(new DeviceSpec(DeviceSpec.Kind.CUDA, 1));
    }
}
