package io.frameflow.operators.annotate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import io.frameflow.operators.inference.InferenceResult;
import io.frameflow.records.AnnotatedFrame;
import io.frameflow.records.DeadLetter;
import io.frameflow.records.Detection;
import io.frameflow.records.Frame;
import io.frameflow.records.FrameDetections;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AnnotateFunctionTest {

    private static final int W = 640;
    private static final int H = 480;

    private OneInputStreamOperatorTestHarness<InferenceResult.Detected, AnnotatedFrame> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forProcessFunction(new AnnotateFunction(90));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    /** A flat mid-grey JPEG: any drawn pixel stands out. */
    private static byte[] greyJpeg() {
        return greyJpeg(W, H);
    }

    private static byte[] greyJpeg(int w, int h) {
        try (Mat m = new Mat(h, w, CV_8UC3, new Scalar(128, 128, 128, 0))) {
            byte[] buf;
            org.bytedeco.javacpp.BytePointer out = new org.bytedeco.javacpp.BytePointer();
            imencode(".jpg", m, out);
            buf = new byte[(int) out.limit()];
            out.get(buf);
            out.close();
            return buf;
        }
    }

    private static Mat decode(byte[] jpeg) {
        return imdecode(new Mat(new org.bytedeco.javacpp.BytePointer(jpeg)), IMREAD_COLOR);
    }

    private static int maxDiff(Mat a, Mat b, int x0, int y0, int x1, int y1) {
        UByteIndexer ia = a.createIndexer();
        UByteIndexer ib = b.createIndexer();
        int max = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                for (int c = 0; c < 3; c++) {
                    max = Math.max(max, Math.abs(ia.get(y, x, c) - ib.get(y, x, c)));
                }
            }
        }
        return max;
    }

    private static InferenceResult.Detected detected(byte[] image, List<Detection> detections) {
        Frame frame = new Frame("cam-1", 42, 1_700_000_000_000L, Frame.JPEG, image, "frames", 0, 9);
        return new InferenceResult.Detected(
                frame,
                new FrameDetections(
                        "cam-1", 42, frame.captureTs(), W, H, "yolox_nano", 12, detections));
    }

    @Test
    void drawsBoxesAndHeaderAndKeepsTheRestOfTheImage() throws Exception {
        byte[] input = greyJpeg();
        Detection person = new Detection("person", 0, 0.87f, 200, 150, 400, 420, null);
        harness.processElement(new StreamRecord<>(detected(input, List.of(person)), 1L));

        List<AnnotatedFrame> out = harness.extractOutputValues();
        assertThat(out).hasSize(1);
        AnnotatedFrame annotated = out.get(0);
        assertThat(annotated.camera()).isEqualTo("cam-1");
        assertThat(annotated.seq()).isEqualTo(42);
        assertThat(annotated.captureTs()).isEqualTo(1_700_000_000_000L);
        assertThat(annotated.model()).isEqualTo("yolox_nano");
        // a JPEG: SOI marker, and it decodes to the input's size
        assertThat(annotated.jpeg()[0]).isEqualTo((byte) 0xFF);
        assertThat(annotated.jpeg()[1]).isEqualTo((byte) 0xD8);
        try (Mat before = decode(input);
                Mat after = decode(annotated.jpeg())) {
            assertThat(after.cols()).isEqualTo(W);
            assertThat(after.rows()).isEqualTo(H);
            // the box's bottom edge and the header are drawn
            assertThat(maxDiff(before, after, 250, 417, 350, 421)).isGreaterThan(60);
            assertThat(maxDiff(before, after, 2, 2, 60, 12)).isGreaterThan(60);
            // far from box, label and header nothing changes beyond JPEG noise
            assertThat(maxDiff(before, after, 500, 300, 620, 460)).isLessThan(12);
            assertThat(maxDiff(before, after, 250, 250, 350, 380)).isLessThan(12);
        }
    }

    @Test
    void drawsSureKeypointsAndTheirLimbsButNotUnsureOnes() throws Exception {
        byte[] input = greyJpeg();
        // 17 COCO keypoints, all unsure (0.1) but four: nose sure, left eye unsure, both
        // shoulders sure (so the shoulder limb is drawn, the nose-eye limb is not)
        float[] kp = new float[17 * 3];
        for (int k = 0; k < 17; k++) {
            kp[k * 3] = 320;
            kp[k * 3 + 1] = 400;
            kp[k * 3 + 2] = 0.1f;
        }
        set(kp, 0, 200, 200, 0.9f); // nose
        set(kp, 1, 440, 200, 0.3f); // left eye
        set(kp, 5, 200, 300, 0.9f); // left shoulder
        set(kp, 6, 440, 300, 0.95f); // right shoulder
        Detection pose = new Detection("person", 0, 0.9f, 20, 440, 60, 470, null, kp, 3);
        harness.processElement(new StreamRecord<>(detected(input, List.of(pose)), 1L));
        try (Mat before = decode(input);
                Mat after = decode(harness.extractOutputValues().get(0).jpeg())) {
            assertThat(maxDiff(before, after, 198, 198, 203, 203)).as("nose").isGreaterThan(60);
            assertThat(maxDiff(before, after, 437, 197, 443, 203))
                    .as("unsure left eye")
                    .isLessThan(12);
            assertThat(maxDiff(before, after, 300, 190, 340, 210))
                    .as("limb to an unsure point")
                    .isLessThan(12);
            assertThat(maxDiff(before, after, 300, 298, 340, 302))
                    .as("shoulder limb")
                    .isGreaterThan(60);
            assertThat(maxDiff(before, after, 310, 390, 330, 410))
                    .as("the unsure rest")
                    .isLessThan(12);
        }
    }

    private static void set(float[] kp, int k, float x, float y, float score) {
        kp[k * 3] = x;
        kp[k * 3 + 1] = y;
        kp[k * 3 + 2] = score;
    }

    @Test
    void frameWithoutDetectionsStillGetsTheHeader() throws Exception {
        byte[] input = greyJpeg();
        harness.processElement(new StreamRecord<>(detected(input, List.of()), 1L));
        try (Mat before = decode(input);
                Mat after = decode(harness.extractOutputValues().get(0).jpeg())) {
            assertThat(maxDiff(before, after, 2, 2, 60, 12)).isGreaterThan(60);
            assertThat(maxDiff(before, after, 100, 100, 600, 460)).isLessThan(12);
        }
    }

    @Test
    void undecodableFrameBecomesADeadLetter() throws Exception {
        byte[] garbage = {(byte) 0xFF, (byte) 0xD8, 1, 2, 3};
        harness.processElement(new StreamRecord<>(detected(garbage, List.of()), 1L));
        assertThat(harness.extractOutputValues()).isEmpty();
        DeadLetter dl = harness.getSideOutput(AnnotateFunction.DEAD_LETTERS).poll().getValue();
        assertThat(dl.reasonCode()).isEqualTo("annotate-failed");
        assertThat(dl.value()).isEqualTo(garbage);
        assertThat(dl.sourceOffset()).isEqualTo(9);
    }

    @Test
    void largeFramesAreDrawnAtTheMaximumWidthWithBoxesScaled() throws Exception {
        // a 1920x1080 grey frame (decoded at 1/2 scale, then 960 wide: no resize needed) and a
        // 1000x750 one (decoded at full scale, then resized to 960x720)
        for (int[] size : new int[][] {{1920, 1080}, {1000, 750}}) {
            int w = size[0];
            int h = size[1];
            byte[] input = greyJpeg(w, h);
            try (OneInputStreamOperatorTestHarness<InferenceResult.Detected, AnnotatedFrame>
                    scaled =
                            ProcessFunctionTestHarnesses.forProcessFunction(
                                    new AnnotateFunction(90, 960))) {
                // a box over the right half's middle third, in original pixels
                Detection car =
                        new Detection("car", 2, 0.9f, w / 2f, h / 3f, w - 1, 2 * h / 3f, null);
                Frame frame =
                        new Frame("cam-1", 1, 1_700_000_000_000L, Frame.JPEG, input, "f", 0, 1);
                scaled.processElement(
                        new StreamRecord<>(
                                new InferenceResult.Detected(
                                        frame,
                                        new FrameDetections(
                                                "cam-1",
                                                1,
                                                frame.captureTs(),
                                                w,
                                                h,
                                                "m",
                                                1,
                                                List.of(car))),
                                1L));
                byte[] out = scaled.extractOutputValues().get(0).jpeg();
                try (Mat after = decode(out);
                        Mat grey =
                                new Mat(
                                        after.rows(),
                                        after.cols(),
                                        CV_8UC3,
                                        new Scalar(128, 128, 128, 0))) {
                    int outH = (int) Math.round(h * 960.0 / w);
                    assertThat(after.cols()).as(w + "x" + h).isEqualTo(960);
                    assertThat(after.rows()).as(w + "x" + h).isEqualTo(outH);
                    // the box's bottom edge is at 2/3 of the scaled height, its left edge at 480
                    int bottom = 2 * outH / 3;
                    assertThat(maxDiff(grey, after, 600, bottom - 1, 900, bottom + 1))
                            .isGreaterThan(60);
                    assertThat(maxDiff(grey, after, 479, outH / 2 - 20, 482, outH / 2 + 20))
                            .isGreaterThan(60);
                    // the left half below the header is untouched
                    assertThat(maxDiff(grey, after, 20, outH / 3, 400, outH - 20)).isLessThan(12);
                }
            }
        }
    }

    @Test
    void framesNarrowerThanTheMaximumKeepTheirSize() throws Exception {
        try (OneInputStreamOperatorTestHarness<InferenceResult.Detected, AnnotatedFrame> scaled =
                ProcessFunctionTestHarnesses.forProcessFunction(new AnnotateFunction(90, 960))) {
            scaled.processElement(new StreamRecord<>(detected(greyJpeg(), List.of()), 1L));
            try (Mat after = decode(scaled.extractOutputValues().get(0).jpeg())) {
                assertThat(after.cols()).isEqualTo(W);
                assertThat(after.rows()).isEqualTo(H);
            }
        }
    }

    @Test
    void boxesOutsideTheImageAreClipped() throws Exception {
        Detection off = new Detection("car", 2, 0.5f, -50, -40, 9_000, 9_000, null);
        harness.processElement(new StreamRecord<>(detected(greyJpeg(), List.of(off)), 1L));
        assertThat(harness.extractOutputValues()).hasSize(1);
    }

    @Test
    void classesGetDistinctStableColours() {
        assertThat(ClassColors.bgr(0)).isEqualTo(ClassColors.bgr(0));
        assertThat(ClassColors.bgr(0)).isNotEqualTo(ClassColors.bgr(1));
        assertThat(ClassColors.bgr(1)).isNotEqualTo(ClassColors.bgr(2));
    }
}
