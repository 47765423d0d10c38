package io.frameflow.bench;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import io.frameflow.operators.preprocess.InputGeometry;
import io.frameflow.operators.preprocess.PreprocessSpec;
import io.frameflow.operators.preprocess.ResizeMode;
import io.frameflow.operators.preprocess.TensorWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Scenario {@code preprocess} (issue 19, "fix what the profile shows"): writing a decoded frame
 * into the model's NCHW float tensor, the hottest Java frame of a JFR profile of the job. Before:
 * the Java loop over interleaved bytes the job used until then (kept here, as the baseline only);
 * after: {@link TensorWriter} (OpenCV split + convertTo into the tensor's memory). Both on the same
 * decoded frames, interleaved (A B A B ...) for {@code -Dbench.repeats} rounds after a warm-up, one
 * thread; median (min–max) of the rounds' ms per frame. YOLOX-Nano's input: 416×416, BGR 0..255,
 * letterbox top-left, pad 114.
 */
final class PreprocessScenario {

    private final BenchContext ctx;

    PreprocessScenario(BenchContext ctx) {
        this.ctx = ctx;
    }

    void run() {
        int repeats = Integer.getInteger("bench.repeats", 5);
        int inW = 416;
        int inH = 416;
        PreprocessSpec spec =
                PreprocessSpec.of(ResizeMode.LETTERBOX_TOP_LEFT, false, 1f, 0f, 114, false);
        for (String res : ctx.resolutions) {
            List<Mat> frames = new ArrayList<>();
            for (FrameSet.BenchFrame f : ctx.frameSets.get(res).frames()) {
                frames.add(imdecode(new Mat(new BytePointer(f.jpeg())), IMREAD_COLOR));
            }
            FloatBuffer out =
                    ByteBuffer.allocateDirect(4 * 3 * inW * inH)
                            .order(ByteOrder.nativeOrder())
                            .asFloatBuffer();
            List<Double> before = new ArrayList<>();
            List<Double> after = new ArrayList<>();
            try (TensorWriter writer = new TensorWriter(spec, inW, inH);
                    JavaLoopWriter loop = new JavaLoopWriter(spec, inW, inH)) {
                for (int warm = 0; warm < 3; warm++) {
                    time(frames, m -> loop.write(m, out));
                    time(frames, m -> writer.write(m, out, 0));
                }
                for (int r = 0; r < repeats; r++) {
                    before.add(time(frames, m -> loop.write(m, out)));
                    after.add(time(frames, m -> writer.write(m, out, 0)));
                }
            }
            frames.forEach(Mat::close);
            Table t =
                    new Table(
                            "Preprocess into the tensor, "
                                    + res
                                    + " frames into 416x416, one thread; median (min–max) of "
                                    + repeats
                                    + " interleaved rounds of "
                                    + ctx.frameSets.get(res).size()
                                    + " frames",
                            "writer",
                            "ms / frame",
                            "× before");
            double base = InferEveryScenario.median(before);
            t.row("before: Java loop over interleaved bytes", spread(before), "1.00");
            t.row(
                    "after: OpenCV split + convertTo into the tensor",
                    spread(after),
                    Table.f2(InferEveryScenario.median(after) / base));
            t.print();
        }
    }

    private static double time(List<Mat> frames, java.util.function.Consumer<Mat> write) {
        long start = System.nanoTime();
        int n = 0;
        for (int k = 0; k < 4; k++) {
            for (Mat m : frames) {
                write.accept(m);
                n++;
            }
        }
        return (System.nanoTime() - start) / 1e6 / n;
    }

    private static String spread(List<Double> xs) {
        double min = xs.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = xs.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return Table.f2(InferEveryScenario.median(xs))
                + " ("
                + Table.f2(min)
                + "–"
                + Table.f2(max)
                + ")";
    }

    /**
     * The job's former writer (resize with TensorWriter's rules, then a Java loop), as baseline.
     */
    private static final class JavaLoopWriter implements AutoCloseable {
        private final PreprocessSpec spec;
        private final int inW;
        private final int inH;
        private final TensorWriter resizer;
        private byte[] pixels = new byte[0];
        private float[] row = new float[0];

        JavaLoopWriter(PreprocessSpec spec, int inW, int inH) {
            this.spec = spec;
            this.inW = inW;
            this.inH = inH;
            this.resizer = new TensorWriter(spec, inW, inH);
        }

        void write(Mat bgr, FloatBuffer out) {
            InputGeometry g = spec.fit(bgr.cols(), bgr.rows(), inW, inH);
            try (Mat src = new Mat()) {
                org.bytedeco.opencv.global.opencv_imgproc.resize(
                        bgr,
                        src,
                        new org.bytedeco.opencv.opencv_core.Size(g.width(), g.height()),
                        0,
                        0,
                        org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR);
                int n = g.width() * g.height() * 3;
                if (pixels.length < n) {
                    pixels = new byte[n];
                }
                src.data().get(pixels, 0, n);
            }
            int plane = inW * inH;
            if (row.length < inW) {
                row = new float[inW];
            }
            for (int c = 0; c < 3; c++) {
                int srcC = spec.rgb() ? 2 - c : c;
                float m = spec.mul()[c];
                float a = spec.add()[c];
                float padValue = spec.pad() * m + a;
                int base = c * plane;
                java.util.Arrays.fill(row, 0, inW, padValue);
                for (int y = 0; y < inH; y++) {
                    int sy = y - g.padY();
                    if (sy >= 0 && sy < g.height()) {
                        int p = sy * g.width() * 3 + srcC;
                        int dst = g.padX();
                        for (int x = 0; x < g.width(); x++, p += 3) {
                            row[dst + x] = (pixels[p] & 0xff) * m + a;
                        }
                        out.put(base + y * inW, row, 0, inW);
                        java.util.Arrays.fill(row, dst, dst + g.width(), padValue);
                    } else {
                        out.put(base + y * inW, row, 0, inW);
                    }
                }
            }
        }

        @Override
        public void close() {
            resizer.close();
        }
    }
}
