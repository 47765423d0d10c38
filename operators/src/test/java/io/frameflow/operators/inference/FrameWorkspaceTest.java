package io.frameflow.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.testkit.SharedResources;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;

/** Pooled workspaces do not keep a huge frame's decode buffers once the frame is preprocessed. */
class FrameWorkspaceTest {

    /** bus.jpg scaled to 6000x4000 as a PNG: 72 MB decoded, and PNGs are never decoded reduced. */
    private static byte[] hugePng() {
        try (Mat bus = opencv_imgcodecs.imread(SharedResources.media("images/bus.jpg").toString());
                Mat big = new Mat();
                Size size = new Size(6000, 4000);
                BytePointer buf = new BytePointer();
                IntPointer fast = new IntPointer(opencv_imgcodecs.IMWRITE_PNG_COMPRESSION, 1)) {
            opencv_imgproc.resize(bus, big, size);
            opencv_imgcodecs.imencode(".png", big, buf, fast);
            byte[] png = new byte[(int) buf.limit()];
            buf.get(png);
            return png;
        }
    }

    @Test
    void aHugeFramesDecodeBuffersAreFreedAndCommonOnesKept() throws Exception {
        byte[] huge = hugePng();
        DetectorSettings settings =
                DetectorSettings.forModel(TestFrames.model("yolox_nano.onnx"))
                        .device("cpu")
                        .threads(1, 1)
                        .build();
        try (Detector detector = Detector.open(settings)) {
            PreparedFrame big = detector.prepare(huge);
            assertThat(big.width()).isEqualTo(6000);
            FrameWorkspace ws = big.workspace;
            assertThat(ws.decodeBytesHeld())
                    .as("decode bytes kept by the workspace after a 6000x4000 PNG")
                    .isLessThanOrEqualTo(FrameWorkspace.KEEP_DECODE_BYTES);
            FrameResult r = detector.infer(List.of(big)).get(0);
            // the frame itself was still read in full
            assertThat(r.width()).isEqualTo(6000);
            assertThat(r.detections()).isNotEmpty();
            PreparedFrame bus = detector.prepare(TestFrames.read("images/bus.jpg"));
            // a common-size frame's buffers stay for the next frame (no allocation per frame)
            assertThat(bus.workspace.decodeBytesHeld())
                    .isPositive()
                    .isLessThanOrEqualTo(FrameWorkspace.KEEP_DECODE_BYTES);
            detector.discard(bus);
        }
    }
}
