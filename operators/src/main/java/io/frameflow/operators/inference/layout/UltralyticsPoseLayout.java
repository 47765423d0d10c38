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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ultralytics YOLOv8/YOLO11 pose head {@code [1, 4+nc+K·D, N]} (channel-major): cx, cy, w, h in
 * input pixels, {@code nc} class scores (1, person, for COCO-pose), then K keypoints of D values
 * each: x, y in input pixels and, when D is 3, the keypoint's confidence. Preprocessing as the
 * detect head: RGB /255, centred letterbox padded with 114.
 *
 * <p>K and D come from the export's {@code kpt_shape} metadata ({@code [17, 3]}); without metadata
 * only the COCO-pose shape is recognised ({@code 4+1+17·3 = 56} channels), since any other channel
 * count is as likely a detect head.
 */
public final class UltralyticsPoseLayout implements OutputLayout {

    /** Channels of the COCO-pose head: box, one class, 17 keypoints of x, y, confidence. */
    static final int COCO_POSE_CHANNELS = 4 + 1 + 17 * 3;

    private static final Pattern KPT_SHAPE = Pattern.compile("\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*]");

    @Override
    public Defaults defaults() {
        return new Defaults(0.25f, 0.45f, true);
    }

    @Override
    public Recognition recognize(ModelSignature sig, int inputWidth, int inputHeight) {
        if ("pose".equals(sig.metadata().get("task"))) {
            return Recognition.DECLARED;
        }
        if (sig.outputs().size() == 1 && inputWidth > 0 && inputHeight > 0) {
            long[] s = sig.output(0);
            long cells = YoloxLayout.gridCells(inputWidth, inputHeight);
            if (s.length == 3 && s[1] == COCO_POSE_CHANNELS && s[2] == cells) {
                return Recognition.BY_SHAPE;
            }
        }
        return Recognition.NO;
    }

    @Override
    public ModelProfile profile(LayoutContext m) {
        long[] s = m.singleOutput(3, "[1, 4+nc+K*D, N]");
        int channels = (int) s[1];
        int anchors = s[2] > 0 ? (int) s[2] : (int) YoloxLayout.gridCells(m.width(), m.height());
        int[] kpt = keypointShape(m, channels);
        int classes = channels - 4 - kpt[0] * kpt[1];
        if (classes < 1 || channels > anchors) {
            throw m.mismatch(
                    "[1, 4+nc+K*D, N] with K*D = "
                            + kpt[0] * kpt[1]
                            + " (kpt_shape), nc >= 1 and 4+nc+K*D < N");
        }
        return m.profile(
                PreprocessSpec.of(ResizeMode.LETTERBOX_CENTER, true, 1f / 255f, 0f, 114, true),
                m.sig().outputNames(),
                List.of(new long[] {channels, anchors}),
                new Decoder(channels, anchors, classes, kpt[0], kpt[1]),
                m.labels().isEmpty() && classes == 1 ? List.of("person") : m.labelsFor(classes));
    }

    /** K and D: from {@code kpt_shape} metadata, else COCO-pose's 17 x 3 with one class. */
    private static int[] keypointShape(LayoutContext m, int channels) {
        String declared = m.sig().metadata().get("kpt_shape");
        if (declared != null) {
            Matcher k = KPT_SHAPE.matcher(declared);
            if (!k.find()) {
                throw new ModelFormatException(
                        m.sig().file() + " has unreadable kpt_shape metadata '" + declared + "'");
            }
            int points = Integer.parseInt(k.group(1));
            int dims = Integer.parseInt(k.group(2));
            if (points < 1 || (dims != 2 && dims != 3)) {
                throw new ModelFormatException(
                        m.sig().file()
                                + " declares kpt_shape "
                                + declared
                                + "; FrameFlow reads keypoints of 2 (x, y) or 3 (x, y, confidence)"
                                + " values");
            }
            return new int[] {points, dims};
        }
        if ((channels - 5) % 3 != 0) {
            throw m.mismatch(
                    "[1, 5+K*3, N] (one class, K keypoints of x, y, confidence) when the model"
                            + " has no kpt_shape metadata");
        }
        return new int[] {(channels - 5) / 3, 3};
    }

    /**
     * score = the best class score; keypoints copied as x, y, confidence (confidence 1 when the
     * model gives none).
     */
    public static final class Decoder implements OutputDecoder {

        private final int channels;
        private final int anchors;
        private final int classes;
        private final int points;
        private final int dims;

        public Decoder(int channels, int anchors, int classes, int points, int dims) {
            this.channels = channels;
            this.anchors = anchors;
            this.classes = classes;
            this.points = points;
            this.dims = dims;
        }

        @Override
        public void decode(FloatBuffer[] outputs, int item, float threshold, List<Candidate> out) {
            FloatBuffer o = outputs[0];
            int base = item * channels * anchors;
            int kptRow = 4 + classes;
            for (int a = 0; a < anchors; a++) {
                int best = ClassScores.bestAbove(o, base, anchors, a, 4, classes, threshold);
                if (best < 0) {
                    continue;
                }
                float bestP = o.get(base + (4 + best) * anchors + a);
                float[] kp = new float[points * 3];
                for (int p = 0; p < points; p++) {
                    int row = kptRow + p * dims;
                    kp[p * 3] = o.get(base + row * anchors + a);
                    kp[p * 3 + 1] = o.get(base + (row + 1) * anchors + a);
                    kp[p * 3 + 2] = dims == 3 ? o.get(base + (row + 2) * anchors + a) : 1f;
                }
                out.add(
                        Candidate.withKeypoints(
                                o.get(base + a),
                                o.get(base + anchors + a),
                                o.get(base + 2 * anchors + a),
                                o.get(base + 3 * anchors + a),
                                bestP,
                                best,
                                kp));
            }
        }
    }
}
