package io.frameflow.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.frameflow.operators.decode.UndecodableImageException;
import io.frameflow.records.Detection;
import io.frameflow.testkit.SharedResources;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** The plain-Java engine: formats, boxes, landmarks, batching, labels, filters and errors. */
class DetectorEngineTest {

    private static DetectorConfig cpu(String model) {
        return DetectorConfig.of(TestFrames.model(model))
                .withDevice("cpu")
                .withThreads(1, 1, false);
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
        try (DetectorEngine engine = DetectorEngine.open(cpu("yolox_nano.onnx"))) {
            FrameResult r = engine.detect(TestFrames.read("images/bus.jpg"));
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
            try (DetectorEngine engine = DetectorEngine.open(cpu(c[0]))) {
                assertThat(engine.info().format()).as(c[0]).isEqualTo(ModelFormat.valueOf(c[1]));
            }
        }
    }

    @Test
    void ultralyticsLabelsComeFromTheModelMetadata() throws Exception {
        try (DetectorEngine engine = DetectorEngine.open(cpu("yolov8n_int8.onnx"))) {
            assertThat(engine.profile().labels()).hasSize(80);
            assertThat(engine.profile().labels().get(0)).isEqualTo("person");
            assertThat(engine.profile().labels().get(5)).isEqualTo("bus");
            FrameResult r = engine.detect(TestFrames.read("images/bus.jpg"));
            assertThat(r.count("person")).isEqualTo(4);
            assertThat(r.count("bus")).isEqualTo(1);
        }
    }

    @Test
    void labelsFileAndClassFilter() throws Exception {
        DetectorConfig c =
                cpu("yolox_nano.onnx")
                        .withLabelsFile(SharedResources.model("coco80.txt").toString())
                        .withClassFilter(List.of("person"));
        try (DetectorEngine engine = DetectorEngine.open(c)) {
            assertThat(engine.profile().labels()).isEqualTo(Labels.COCO80);
            FrameResult r = engine.detect(TestFrames.read("images/bus.jpg"));
            assertThat(r.detections()).hasSize(3).allMatch(d -> d.label().equals("person"));
        }
        assertThatThrownBy(
                        () ->
                                DetectorEngine.open(
                                        cpu("yolox_nano.onnx").withClassFilter(List.of("persn"))))
                .hasMessageContaining("'persn' is not a label")
                .hasMessageContaining("person");
    }

    @Test
    void yunetGivesFiveLandmarksInsideEachFace() throws Exception {
        try (DetectorEngine engine = DetectorEngine.open(cpu("yunet_n_dynamic.onnx"))) {
            FrameResult r = engine.detect(TestFrames.read("images/faces_family_5.jpg"));
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
        try (DetectorEngine engine =
                DetectorEngine.open(cpu("yunet_n_dynamic.onnx").withBatching(4, 0))) {
            assertThat(engine.maxBatch()).isEqualTo(4);
            List<FrameResult> single = new ArrayList<>();
            for (byte[] f : frames) {
                single.add(engine.detect(f));
            }
            List<PreparedFrame> prepared = new ArrayList<>();
            for (byte[] f : frames) {
                prepared.add(engine.prepare(f));
            }
            List<FrameResult> batched = engine.infer(prepared);
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
        try (DetectorEngine engine =
                DetectorEngine.open(cpu("yolox_nano.onnx").withBatching(8, 5))) {
            assertThat(engine.maxBatch()).isEqualTo(1);
            assertThat(engine.info().inputShape()).isEqualTo("[1, 3, 416, 416]");
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
        try (DetectorEngine engine = DetectorEngine.open(cpu("yolox_nano.onnx"))) {
            FrameResult r = engine.detect(png);
            assertThat(r.width()).isEqualTo(810);
            assertThat(r.count("person")).isEqualTo(3);
        }
    }

    @Test
    void undecodableBytesAreAClearError() {
        try (DetectorEngine engine = DetectorEngine.open(cpu("FastestDet.onnx"))) {
            assertThatThrownBy(() -> engine.detect(new byte[] {1, 2, 3, 4, 5}))
                    .isInstanceOf(UndecodableImageException.class)
                    .hasMessageStartingWith("undecodable-image: ");
            byte[] bus = TestFrames.read("images/bus.jpg");
            // a broken frame right after a good one must not reuse the good one's pixels
            assertThat(
                            org.assertj.core.api.Assertions.catchThrowable(
                                    () -> {
                                        engine.detect(bus);
                                        engine.detect(new byte[] {0x47, 0x49, 0x46});
                                    }))
                    .isInstanceOf(UndecodableImageException.class);
            byte[] corrupt = java.util.Arrays.copyOf(bus, 600); // header only, no scan data
            // whatever OpenCV makes of a cut-off JPEG, the engine must not throw anything else
            try {
                engine.detect(corrupt);
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
                                DetectorEngine.open(
                                        cpu("yolox_nano.onnx").withFormat(ModelFormat.ULTRAFACE)))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("yolox_nano.onnx")
                .hasMessageContaining("output [1, 3549, 85]")
                .hasMessageContaining("expected scores [1, N, 2] and boxes [1, N, 4]");
        assertThatThrownBy(
                        () ->
                                DetectorEngine.open(
                                        cpu("FastestDet.onnx").withFormat(ModelFormat.ULTRALYTICS)))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("FastestDet.onnx")
                .hasMessageContaining("[1, 85, 22, 22]")
                .hasMessageContaining("expected one output [1, 4+nc, N]");
        assertThatThrownBy(
                        () ->
                                DetectorEngine.open(
                                        cpu("yunet_n_dynamic.onnx").withFormat(ModelFormat.YOLOX)))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("yunet_n_dynamic.onnx");
    }

    @Test
    void probeChecksAModelWithoutKeepingIt() {
        ModelInfo info =
                DetectorEngine.probe(DetectorConfig.of(TestFrames.model("yolov8n_int8.onnx")));
        assertThat(info.format()).isEqualTo(ModelFormat.ULTRALYTICS);
        assertThat(info.inputShape()).isEqualTo("[1, 3, 640, 640]");
        assertThat(info.name()).isEqualTo("yolov8n_int8");
        assertThatThrownBy(
                        () ->
                                DetectorEngine.probe(
                                        DetectorConfig.of(TestFrames.model("yolox_nano.onnx"))
                                                .withClassFilter(List.of("unicorn"))))
                .hasMessageContaining("'unicorn' is not a label");
    }

    @Test
    void missingOrBrokenModelFailsAtStartUp() {
        assertThatThrownBy(() -> DetectorEngine.open(DetectorConfig.of("no/such/model.onnx")))
                .hasMessageContaining("Model file not found")
                .hasMessageContaining("model.onnx");
        String notAModel = SharedResources.model("coco80.txt").toString();
        assertThatThrownBy(
                        () -> DetectorEngine.open(DetectorConfig.of(notAModel).withDevice("cpu")))
                .hasMessageContaining("Cannot load the model")
                .hasMessageContaining("not a valid ONNX model")
                .hasMessageContaining("--model FILE")
                .hasMessageContaining("coco80.txt");
        // auto tries CUDA first: a broken file must still read as a broken file, not a GPU issue
        assertThatThrownBy(() -> DetectorEngine.open(DetectorConfig.of(notAModel)))
                .hasMessageContaining("not a valid ONNX model")
                .hasMessageContaining("coco80.txt");
    }

    @Test
    void deviceAutoFallsBackToCpuWithOneWarning() {
        try (DetectorEngine engine =
                DetectorEngine.open(cpu("yolox_nano.onnx").withDevice("auto"))) {
            assertThat(engine.info().provider()).isEqualTo("CPUExecutionProvider");
            assertThat(engine.info().device()).isEqualTo("cpu");
            assertThat(engine.info().fallbackWarning())
                    .startsWith("--device auto: CUDA is not usable here")
                    .contains("falling back to CPU");
        }
        try (DetectorEngine engine = DetectorEngine.open(cpu("yolox_nano.onnx"))) {
            assertThat(engine.info().fallbackWarning()).isNull();
        }
    }

    @Test
    void deviceCudaFailsStartUpSayingWhatIsMissing() {
        assertThatThrownBy(() -> DetectorEngine.open(cpu("yolox_nano.onnx").withDevice("cuda:0")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(
                        "--device cuda:0: cannot run yolox_nano.onnx on CUDA device 0")
                .hasMessageContaining("-Pgpu")
                .hasMessageContaining("Use --device cpu or --device auto");
        assertThatThrownBy(() -> DeviceSpec.parse("tpu"))
                .hasMessageContaining("use auto, cpu, cuda or cuda:N");
    }
}
