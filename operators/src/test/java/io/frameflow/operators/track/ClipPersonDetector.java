package io.frameflow.operators.track;

import io.frameflow.operators.inference.Detector;
import io.frameflow.operators.inference.DetectorSettings;
import io.frameflow.testkit.ClipFrames;
import io.frameflow.testkit.SharedResources;
import java.util.List;

/**
 * The detector the real-clip tests track behind: YOLOX-Nano on the CPU, person class, boxes down to
 * score 0.1 so the tracker's second stage has low-score boxes to work with.
 */
final class ClipPersonDetector {

    private ClipPersonDetector() {}

    /** Opens it, after checking that ffmpeg is there to decode the clips. */
    static Detector open() {
        ClipFrames.requireFfmpeg();
        return Detector.open(
                DetectorSettings.forModel(SharedResources.model("yolox_nano.onnx"))
                        .device("cpu")
                        .threads(1, 1)
                        .scoreThreshold(0.1f)
                        .classFilter(List.of("person"))
                        .build());
    }
}
