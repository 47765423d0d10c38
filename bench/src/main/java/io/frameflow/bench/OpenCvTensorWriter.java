package io.frameflow.bench;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.split;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.frameflow.operators.preprocess.InputGeometry;
import io.frameflow.operators.preprocess.PreprocessSpec;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * An alternative to the job's {@code TensorWriter}, tried for issue 19 and kept here only for the
 * {@code preprocess} scenario that measured it: the same resize, then each channel written by
 * OpenCV straight into the tensor's memory (split, the pad value over the plane, {@code convertTo}
 * into the image rectangle through Mat headers) instead of TensorWriter's Java loop over the
 * interleaved bytes. It was not faster (docs/benchmarks.md), so the job keeps the loop.
 */
final class OpenCvTensorWriter implements AutoCloseable {

    private final PreprocessSpec spec;
    private final int inW;
    private final int inH;
    private final Mat resized = new Mat();
    private final Size size = new Size();
    private final MatVector channels = new MatVector(3);

    OpenCvTensorWriter(PreprocessSpec spec, int inW, int inH) {
        this.spec = spec;
        this.inW = inW;
        this.inH = inH;
    }

    void write(Mat bgr, FloatBuffer out, int offset) {
        InputGeometry g = spec.fit(bgr.cols(), bgr.rows(), inW, inH);
        Mat src = bgr;
        if (g.width() != bgr.cols() || g.height() != bgr.rows()) {
            size.width(g.width()).height(g.height());
            boolean strongShrink = g.width() * 2 <= bgr.cols() || g.height() * 2 <= bgr.rows();
            resize(bgr, resized, size, 0, 0, strongShrink ? INTER_AREA : INTER_LINEAR);
            src = resized;
        }
        split(src, channels);
        int plane = inW * inH;
        boolean padded = g.padX() > 0 || g.padY() > 0 || g.width() < inW || g.height() < inH;
        try (PointerScope scope = new PointerScope()) {
            // Mat's data argument is a void*: its position counts bytes, not floats
            BytePointer memory = new BytePointer(new FloatPointer(out).position(0));
            for (int c = 0; c < 3; c++) {
                int srcC = spec.rgb() ? 2 - c : c;
                BytePointer at =
                        new BytePointer(memory)
                                .position((long) Float.BYTES * (offset + (long) c * plane));
                Mat whole = new Mat(inH, inW, CV_32FC1, at);
                if (padded) {
                    whole.put(new Scalar(spec.pad() * spec.mul()[c] + spec.add()[c]));
                }
                Mat image = whole.apply(new Rect(g.padX(), g.padY(), g.width(), g.height()));
                channels.get(srcC).convertTo(image, CV_32F, spec.mul()[c], spec.add()[c]);
            }
        }
    }

    @Override
    public void close() {
        resized.close();
        size.close();
        channels.close();
    }
}
