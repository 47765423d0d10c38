package io.frameflow.operators.secondary;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.frameflow.operators.inference.Labels;
import io.frameflow.operators.inference.ModelFormatException;
import io.frameflow.operators.inference.ModelInfo;
import io.frameflow.operators.inference.ModelSignature;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * An image classifier run on crops of detections ({@code [N, 3, H, W]} in, {@code [N, C]} out): the
 * layout of Ultralytics' {@code -cls} exports, torchvision and timm classifiers. Each crop is
 * stretched to the model's input (as DeepStream's secondary inference does: a person's crop keeps
 * head and feet, where a centre crop would cut them), fed as RGB, and its output taken as
 * probabilities (softmax applied where the model gives logits). Crops are run together, as many as
 * the model's batch dimension allows.
 *
 * <p>Not thread-safe: one instance per operator instance; {@link #close()} frees the session.
 */
public final class CropClassifier implements AutoCloseable {

    /** Most crops in one run. */
    static final int MAX_BATCH = 16;

    /** Input side used where the model leaves it open. */
    static final int DEFAULT_SIDE = 224;

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String inputName;
    private final String model;
    private final List<String> labels;
    private final Normalization normalization;
    private final int height;
    private final int width;
    private final int maxBatch;
    private final Size size;
    private final Mat resized = new Mat();

    /** How pixels become input values. */
    public enum Normalization {
        /** RGB / 255 (Ultralytics classifiers). */
        UNIT,
        /** (RGB / 255 − ImageNet mean) / ImageNet standard deviation (torchvision, timm). */
        IMAGENET;

        private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
        private static final float[] STD = {0.229f, 0.224f, 0.225f};

        float apply(int channel, int value) {
            float v = value / 255f;
            return this == UNIT ? v : (v - MEAN[channel]) / STD[channel];
        }
    }

    private CropClassifier(
            OrtSession session,
            String inputName,
            String model,
            List<String> labels,
            Normalization normalization,
            int height,
            int width,
            int maxBatch) {
        this.session = session;
        this.inputName = inputName;
        this.model = model;
        this.labels = labels;
        this.normalization = normalization;
        this.height = height;
        this.width = width;
        this.maxBatch = maxBatch;
        this.size = new Size(width, height);
    }

    /**
     * Loads the model on the CPU with one thread (it runs once per track, not per frame, so it
     * takes neither a GPU nor the detector's threads) and checks its shapes and labels.
     *
     * @param labelsFile class names, one per line; null = the model's {@code names} metadata, else
     *     {@code class0}, {@code class1}, ...
     * @param normalization null = {@code UNIT} for an Ultralytics export, else {@code IMAGENET}
     * @throws IllegalArgumentException for a missing or unreadable file
     * @throws ModelFormatException when it is not an {@code [N, 3, H, W] -> [N, C]} classifier or
     *     its labels do not number C
     */
    public static CropClassifier open(Path file, Path labelsFile, Normalization normalization) {
        return CropModelSession.open(
                file,
                "Classifier",
                (session, sig) -> checked(file, labelsFile, normalization, session, sig));
    }

    private static CropClassifier checked(
            Path file,
            Path labelsFile,
            Normalization normalization,
            OrtSession session,
            ModelSignature sig) {
        long[] in = sig.inputs().size() == 1 ? sig.inputs().values().iterator().next() : null;
        long[] out = sig.outputs().isEmpty() ? null : sig.output(0);
        if (in == null
                || in.length != 4
                || in[1] != 3
                || out == null
                || out.length != 2
                || out[1] < 2) {
            throw new ModelFormatException(
                    "Classifier "
                            + file
                            + ": expected one image input [N, 3, H, W] and an output [N, C]"
                            + " of C >= 2 class scores, found "
                            + sig.describe());
        }
        int classes = (int) out[1];
        List<String> labels =
                labelsFile != null
                        ? Labels.fromFile(labelsFile)
                        : Labels.fromUltralyticsNames(sig.metadata().get("names"));
        if (labels.isEmpty()) {
            labels = fallbackLabels(classes);
        }
        if (labels.size() != classes) {
            throw new ModelFormatException(
                    "Classifier "
                            + file
                            + " gives "
                            + classes
                            + " class scores but its labels name "
                            + labels.size()
                            + (labelsFile != null ? " (" + labelsFile + ")" : "")
                            + ": give a labels file with one class per line.");
        }
        boolean ultralytics = String.valueOf(sig.metadata().get("author")).contains("Ultralytics");
        Normalization norm =
                normalization != null
                        ? normalization
                        : ultralytics ? Normalization.UNIT : Normalization.IMAGENET;
        return new CropClassifier(
                session,
                sig.inputs().keySet().iterator().next(),
                CropModelSession.nameOf(file) + "@" + ModelInfo.versionOf(file),
                List.copyOf(labels),
                norm,
                in[2] > 0 ? (int) in[2] : DEFAULT_SIDE,
                in[3] > 0 ? (int) in[3] : DEFAULT_SIDE,
                in[0] > 0 ? (int) Math.min(in[0], MAX_BATCH) : MAX_BATCH);
    }

    private static List<String> fallbackLabels(int classes) {
        String[] out = new String[classes];
        Arrays.setAll(out, i -> "class" + i);
        return List.of(out);
    }

    /** {@code name@version}: file name without {@code .onnx}, first 8 hex digits of its SHA-256. */
    public String model() {
        return model;
    }

    /** Class names by output index. */
    public List<String> labels() {
        return labels;
    }

    /** How the crops are normalised. */
    public Normalization normalization() {
        return normalization;
    }

    /**
     * Class probabilities of each box's crop of {@code bgr}, in the order given.
     *
     * @param bgr the decoded frame (8-bit BGR)
     * @param boxes x1, y1, x2, y2 in that frame's pixels; clipped to the frame, at least 1 pixel
     */
    public float[][] classify(Mat bgr, List<float[]> boxes) throws OrtException {
        float[][] out = new float[boxes.size()][];
        for (int from = 0; from < boxes.size(); from += maxBatch) {
            int n = Math.min(maxBatch, boxes.size() - from);
            float[][] part = run(bgr, boxes.subList(from, from + n));
            System.arraycopy(part, 0, out, from, n);
        }
        return out;
    }

    private float[][] run(Mat bgr, List<float[]> boxes) throws OrtException {
        int plane = height * width;
        FloatBuffer input =
                ByteBuffer.allocateDirect(boxes.size() * 3 * plane * Float.BYTES)
                        .order(ByteOrder.nativeOrder())
                        .asFloatBuffer();
        float[] chw = new float[3 * plane];
        for (float[] box : boxes) {
            try (Rect r = clip(box, bgr.cols(), bgr.rows());
                    Mat crop = new Mat(bgr, r)) {
                resize(crop, resized, size, 0, 0, INTER_AREA);
            }
            UByteIndexer px = resized.createIndexer();
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int i = y * width + x;
                    for (int c = 0; c < 3; c++) { // c: R, G, B; OpenCV holds B, G, R
                        chw[c * plane + i] = normalization.apply(c, px.get(y, x, 2 - c));
                    }
                }
            }
            px.close();
            input.put(chw);
        }
        input.flip();
        try (OnnxTensor tensor =
                        OnnxTensor.createTensor(
                                env, input, new long[] {boxes.size(), 3, height, width});
                OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
            float[][] scores = (float[][]) result.get(0).getValue();
            for (float[] s : scores) {
                toProbabilities(s);
            }
            return scores;
        }
    }

    /** The box in whole pixels inside the frame, at least one pixel each way. */
    static Rect clip(float[] box, int cols, int rows) {
        int x1 = Math.max(0, Math.min(cols - 1, (int) Math.floor(box[0])));
        int y1 = Math.max(0, Math.min(rows - 1, (int) Math.floor(box[1])));
        int x2 = Math.max(x1 + 1, Math.min(cols, (int) Math.ceil(box[2])));
        int y2 = Math.max(y1 + 1, Math.min(rows, (int) Math.ceil(box[3])));
        return new Rect(x1, y1, x2 - x1, y2 - y1);
    }

    /**
     * Leaves probabilities as they are and turns anything else (logits: negative values, or a sum
     * away from 1) into them with a softmax, in place.
     */
    static void toProbabilities(float[] s) {
        double sum = 0;
        boolean inRange = true;
        for (float v : s) {
            sum += v;
            inRange &= v >= 0 && v <= 1;
        }
        if (inRange && Math.abs(sum - 1) < 1e-3) {
            return;
        }
        float max = Float.NEGATIVE_INFINITY;
        for (float v : s) {
            max = Math.max(max, v);
        }
        double total = 0;
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) Math.exp(s[i] - max);
            total += s[i];
        }
        for (int i = 0; i < s.length; i++) {
            s[i] /= (float) total;
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
        resized.close();
        size.close();
    }
}
