package io.frameflow.operators.face;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.flip;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.frameflow.operators.inference.ModelFormatException;
import io.frameflow.operators.inference.ModelSignature;
import io.frameflow.operators.secondary.CropModelSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * A face embedding model ({@code [1, 3, 112, 112]} in, {@code [1, D]} out, e.g. MobileFaceNet):
 * aligns a face by its 5 landmarks ({@link FaceAlignment}), feeds the crop as RGB /255 with
 * ImageNet mean and standard deviation, adds the embedding of the horizontally flipped crop and
 * L2-normalises the sum (the recipe of the models README, section 7, that tells people apart).
 *
 * <p>Not thread-safe: one instance per operator instance; {@link #close()} frees the session and
 * the native buffers.
 */
public final class FaceEmbedder implements AutoCloseable {

    private static final float[] MEAN = {0.485f, 0.456f, 0.406f}; // R, G, B
    private static final float[] STD = {0.229f, 0.224f, 0.225f};
    private static final int SIZE = FaceAlignment.SIZE;

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String inputName;
    private final String model;
    private final int dimensions;
    private final Mat matrix = new Mat(2, 3, CV_64F);
    private final Mat aligned = new Mat();
    private final Mat flipped = new Mat();
    private final Size size = new Size(SIZE, SIZE);
    private final FloatBuffer input =
            ByteBuffer.allocateDirect(3 * SIZE * SIZE * Float.BYTES)
                    .order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
    private final float[] plane = new float[3 * SIZE * SIZE];

    private FaceEmbedder(OrtSession session, String inputName, String model, int dimensions) {
        this.session = session;
        this.inputName = inputName;
        this.model = model;
        this.dimensions = dimensions;
    }

    /**
     * Loads the model on the CPU with one thread and checks its shapes.
     *
     * @throws IllegalArgumentException for a missing or unreadable file
     * @throws ModelFormatException when it is not a {@code [N, 3, 112, 112] -> [N, D]} model
     */
    public static FaceEmbedder open(Path file) {
        return CropModelSession.open(
                file, "Face embedder", (session, sig) -> checked(file, session, sig));
    }

    private static FaceEmbedder checked(Path file, OrtSession session, ModelSignature sig) {
        if (sig.inputs().size() != 1 || sig.outputs().size() != 1) {
            throw new ModelFormatException(
                    "Face embedder "
                            + file
                            + ": expected one input and one output, found "
                            + sig.describe());
        }
        Map.Entry<String, long[]> in = sig.inputs().entrySet().iterator().next();
        long[] s = in.getValue();
        long[] out = sig.output(0);
        if (s.length != 4
                || s[1] != 3
                || s[2] != SIZE
                || s[3] != SIZE
                || out.length != 2
                || out[1] < 1) {
            throw new ModelFormatException(
                    "Face embedder "
                            + file
                            + ": expected input [1, 3, 112, 112] and output [1, D], found "
                            + sig.describe());
        }
        return new FaceEmbedder(session, in.getKey(), CropModelSession.nameOf(file), (int) out[1]);
    }

    /** Model name (file name without {@code .onnx}). */
    public String model() {
        return model;
    }

    /** Length of an embedding. */
    public int dimensions() {
        return dimensions;
    }

    /**
     * The L2-normalised embedding of the face with these landmarks.
     *
     * @param bgr the decoded frame (8-bit BGR)
     * @param landmarks the face's 5 landmarks in that frame's pixels
     */
    public float[] embed(Mat bgr, float[] landmarks) throws OrtException {
        double[] m = FaceAlignment.toTemplate(landmarks);
        DoubleIndexer mi = matrix.createIndexer();
        for (int i = 0; i < 6; i++) {
            mi.put(i / 3, i % 3, m[i]);
        }
        mi.close();
        warpAffine(
                bgr, aligned, matrix, size, INTER_LINEAR, BORDER_CONSTANT, new Scalar(0, 0, 0, 0));
        flip(aligned, flipped, 1);
        float[] sum = run(aligned);
        float[] mirrored = run(flipped);
        double norm = 0;
        for (int i = 0; i < sum.length; i++) {
            sum[i] += mirrored[i];
            norm += sum[i] * sum[i];
        }
        float inv = norm > 0 ? (float) (1 / Math.sqrt(norm)) : 0f;
        for (int i = 0; i < sum.length; i++) {
            sum[i] *= inv;
        }
        return sum;
    }

    /** One 112×112 BGR crop through the model: NCHW RGB, (v/255 − mean) / std. */
    private float[] run(Mat crop) throws OrtException {
        UByteIndexer px = crop.createIndexer();
        int p = SIZE * SIZE;
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int i = y * SIZE + x;
                for (int c = 0; c < 3; c++) { // c: R, G, B; OpenCV holds B, G, R
                    plane[c * p + i] = (px.get(y, x, 2 - c) / 255f - MEAN[c]) / STD[c];
                }
            }
        }
        px.close();
        input.clear();
        input.put(plane);
        input.flip();
        try (OnnxTensor tensor =
                        OnnxTensor.createTensor(env, input, new long[] {1, 3, SIZE, SIZE});
                OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
            float[][] out = (float[][]) result.get(0).getValue();
            return out[0];
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
        matrix.close();
        aligned.close();
        flipped.close();
        size.close();
    }
}
