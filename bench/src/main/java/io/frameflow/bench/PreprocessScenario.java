package io.frameflow.bench;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import io.frameflow.operators.preprocess.PreprocessSpec;
import io.frameflow.operators.preprocess.ResizeMode;
import io.frameflow.operators.preprocess.TensorWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Scenario {@code preprocess} (issue 19, "fix what the profile shows"): writing a decoded frame
 * into the model's NCHW float tensor, the hottest Java frame of a JFR profile of the job. The job's
 * {@link TensorWriter} (resize, then a Java loop over the interleaved bytes) against the
 * alternative tried, {@link OpenCvTensorWriter} (resize, then OpenCV split + convertTo into the
 * tensor's memory); both on the same decoded frames, interleaved (A B A B ...) for {@code
 * -Dbench.repeats} rounds after a warm-up, one thread; median (min–max) of the rounds' ms per
 * frame. YOLOX-Nano's input: 416×416, BGR 0..255, letterbox top-left, pad 114. Needs no broker.
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
            List<Double> job = new ArrayList<>();
            List<Double> tried = new ArrayList<>();
            try (TensorWriter loop = new TensorWriter(spec, inW, inH);
                    OpenCvTensorWriter opencv = new OpenCvTensorWriter(spec, inW, inH)) {
                for (int warm = 0; warm < 3; warm++) {
                    time(frames, m -> loop.write(m, out, 0));
                    time(frames, m -> opencv.write(m, out, 0));
                }
                for (int r = 0; r < repeats; r++) {
                    job.add(time(frames, m -> loop.write(m, out, 0)));
                    tried.add(time(frames, m -> opencv.write(m, out, 0)));
                }
            }
            frames.forEach(Mat::close);
            Table t =
                    new Table(
                            "Preprocess into the tensor, "
                                    + res
                                    + " frames into 416x416, one thread; median (min–max) of "
                                    + repeats
                                    + " interleaved rounds of 4 x "
                                    + ctx.frameSets.get(res).size()
                                    + " frames",
                            "writer",
                            "ms / frame",
                            "× job's");
            double base = Spread.median(job);
            t.row(
                    "job's TensorWriter: resize, Java loop over the bytes",
                    Spread.of(job, 2),
                    "1.00");
            t.row(
                    "tried: resize, OpenCV split + convertTo into the tensor",
                    Spread.of(tried, 2),
                    Table.f2(Spread.median(tried) / base));
            t.print();
        }
    }

    private static double time(List<Mat> frames, Consumer<Mat> write) {
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
}
