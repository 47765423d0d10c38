package io.frameflow.operators.inference.layout;

import io.frameflow.operators.inference.ModelFormatException;
import io.frameflow.operators.inference.ModelProfile;
import io.frameflow.operators.inference.ModelSignature;
import io.frameflow.operators.postprocess.Candidate;
import io.frameflow.operators.postprocess.OutputDecoder;
import io.frameflow.operators.preprocess.PreprocessSpec;
import io.frameflow.operators.preprocess.ResizeMode;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Ultralytics YOLOv8/YOLO11 detect head {@code [1, 4+nc, N]} (channel-major): cx, cy, w, h in input
 * pixels, then class probabilities; no objectness. RGB /255, centred letterbox padded with 114.
 */
public final class UltralyticsLayout implements OutputLayout {

    @Override
    public Defaults defaults() {
        return new Defaults(0.25f, 0.45f, true);
    }

    /** Ultralytics exports carry {@code names} plus {@code task} or {@code imgsz} metadata. */
    @Override
    public Recognition recognize(ModelSignature sig, int inputWidth, int inputHeight) {
        String task = sig.metadata().get("task");
        if (sig.metadata().containsKey("names")
                && (task != null || sig.metadata().containsKey("imgsz"))) {
            if ("pose".equals(task)) {
                return Recognition.NO; // UltralyticsPoseLayout's
            }
            if (task != null && !task.equals("detect")) {
                throw new ModelFormatException(
                        sig.file()
                                + " is an Ultralytics '"
                                + task
                                + "' model; only 'detect' and 'pose' models are supported ("
                                + sig.describe()
                                + ")");
            }
            return Recognition.DECLARED;
        }
        if (sig.outputs().size() == 1 && inputWidth > 0 && inputHeight > 0) {
            long[] s = sig.output(0);
            long cells = YoloxLayout.gridCells(inputWidth, inputHeight);
            // 56 channels is the COCO-pose head's shape (UltralyticsPoseLayout); a 52-class
            // detector without metadata needs --model-format ultralytics
            if (s.length == 3
                    && s[2] == cells
                    && s[1] >= 5
                    && s[1] < s[2]
                    && s[1] != UltralyticsPoseLayout.COCO_POSE_CHANNELS) {
                return Recognition.BY_SHAPE;
            }
        }
        return Recognition.NO;
    }

    @Override
    public ModelProfile profile(LayoutContext m) {
        long[] s = m.singleOutput(3, "[1, 4+nc, N]");
        int channels = (int) s[1];
        int anchors = s[2] > 0 ? (int) s[2] : (int) YoloxLayout.gridCells(m.width(), m.height());
        if (channels < 5 || channels > anchors) {
            throw m.mismatch("[1, 4+nc, N] with 4+nc < N");
        }
        return m.profile(
                PreprocessSpec.of(ResizeMode.LETTERBOX_CENTER, true, 1f / 255f, 0f, 114, true),
                m.sig().outputNames(),
                List.of(new long[] {channels, anchors}),
                new Decoder(channels, anchors),
                m.labelsFor(channels - 4));
    }

    /** score = max class probability. */
    public static final class Decoder implements OutputDecoder {

        private final int channels;
        private final int anchors;

        public Decoder(int channels, int anchors) {
            this.channels = channels;
            this.anchors = anchors;
        }

        @Override
        public void decode(FloatBuffer[] outputs, int item, float threshold, List<Candidate> out) {
            FloatBuffer o = outputs[0];
            int base = item * channels * anchors;
            int nc = channels - 4;
            for (int a = 0; a < anchors; a++) {
                int best = ClassScores.bestAbove(o, base, anchors, a, 4, nc, threshold);
                if (best < 0) {
                    continue;
                }
                float bestP = o.get(base + (4 + best) * anchors + a);
                out.add(
                        Candidate.ofCenter(
                                o.get(base + a),
                                o.get(base + anchors + a),
                                o.get(base + 2 * anchors + a),
                                o.get(base + 3 * anchors + a),
                                bestP,
                                best,
                                null));
            }
        }
    }
}
