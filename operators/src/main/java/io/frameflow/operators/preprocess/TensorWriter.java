package io.frameflow.operators.preprocess;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.split;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

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
 * Resizes a decoded BGR frame into the model's geometry and writes it as normalised NCHW floats
 * into a caller-owned (direct) buffer. Reuses its resize target and channel planes between frames.
 *
 * <p>Not thread-safe: one instance per worker.
 */
public final class TensorWriter implements AutoCloseable {

    private final PreprocessSpec spec;
    private final int inW;
    private final int inH;
    private final Mat resized = new Mat();
    private final Size size = new Size();
    private final MatVector channels = new MatVector(3);

    public TensorWriter(PreprocessSpec spec, int inputWidth, int inputHeight) {
        this.spec = spec;
        this.inW = inputWidth;
        this.inH = inputHeight;
    }

    /**
     * @param bgr decoded 8-bit BGR frame
     * @param out destination buffer; floats {@code [offset, offset + 3*inH*inW)} are overwritten
     * @return where the frame was placed
     */
    public InputGeometry write(Mat bgr, FloatBuffer out, int offset) {
        int w = bgr.cols();
        int h = bgr.rows();
        InputGeometry g = spec.fit(w, h, inW, inH);
        Mat src = bgr;
        if (g.width() != w || g.height() != h) {
            size.width(g.width()).height(g.height());
            // area averaging when shrinking a lot avoids aliasing; bilinear otherwise
            boolean strongShrink = g.width() * 2 <= w || g.height() * 2 <= h;
            resize(bgr, resized, size, 0, 0, strongShrink ? INTER_AREA : INTER_LINEAR);
            src = resized;
        }
        writeChw(src, g, out, offset);
        return g;
    }

    /**
     * Each channel plane is written by OpenCV straight into the direct buffer: the pad value over
     * the whole plane where there is padding, then {@code convertTo} (scale and shift, SIMD) of the
     * channel into the plane's image rectangle through a Mat header on the buffer's memory. A Java
     * loop over the interleaved bytes was the hottest Java frame of a JFR profile of the job
     * (docs/benchmarks.md, issue 19): strided byte reads do not vectorise.
     */
    private void writeChw(Mat src, InputGeometry g, FloatBuffer out, int offset) {
        split(src, channels);
        int plane = inW * inH;
        float[] mul = spec.mul();
        float[] add = spec.add();
        boolean padded = g.padX() > 0 || g.padY() > 0 || g.width() < inW || g.height() < inH;
        try (PointerScope scope = new PointerScope()) {
            // Mat's data argument is a void*: its position counts bytes, not floats
            BytePointer memory = new BytePointer(new FloatPointer(out).position(0));
            for (int c = 0; c < 3; c++) {
                int srcC = spec.rgb() ? 2 - c : c; // OpenCV gives BGR
                BytePointer at =
                        new BytePointer(memory)
                                .position((long) Float.BYTES * (offset + (long) c * plane));
                Mat whole = new Mat(inH, inW, CV_32FC1, at);
                if (padded) {
                    whole.put(new Scalar(spec.pad() * mul[c] + add[c]));
                }
                Mat image = whole.apply(new Rect(g.padX(), g.padY(), g.width(), g.height()));
                channels.get(srcC).convertTo(image, CV_32F, mul[c], add[c]);
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
