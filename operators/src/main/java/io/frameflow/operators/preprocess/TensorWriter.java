package io.frameflow.operators.preprocess;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.nio.FloatBuffer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Resizes a decoded BGR frame into the model's geometry and writes it as normalised NCHW floats
 * into a caller-owned (direct) buffer. Reuses its resize target and pixel array between frames.
 *
 * <p>Not thread-safe: one instance per worker.
 */
public final class TensorWriter implements AutoCloseable {

    private final PreprocessSpec spec;
    private final int inW;
    private final int inH;
    private final Mat resized = new Mat();
    private final Size size = new Size();
    private byte[] pixels = new byte[0];
    private float[] row = new float[0];

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
        int n = g.width() * g.height() * 3;
        if (pixels.length < n) {
            pixels = new byte[n];
        }
        if (src.isContinuous()) {
            src.data().get(pixels, 0, n);
        } else {
            try (Mat copy = src.clone()) {
                copy.data().get(pixels, 0, n);
            }
        }
        writeChw(g, out, offset);
        return g;
    }

    /**
     * Each output row is computed into a Java array (a loop the JIT vectorises) and copied into the
     * direct buffer in one bulk put; per-element absolute puts on the direct buffer were the
     * hottest Java frame in a JFR profile of the job (docs/benchmarks.md).
     */
    private void writeChw(InputGeometry g, FloatBuffer out, int offset) {
        int plane = inW * inH;
        float[] mul = spec.mul();
        float[] add = spec.add();
        if (row.length < inW) {
            row = new float[inW];
        }
        for (int c = 0; c < 3; c++) {
            int srcC = spec.rgb() ? 2 - c : c; // OpenCV gives BGR
            float m = mul[c];
            float a = add[c];
            float padValue = spec.pad() * m + a;
            int base = offset + c * plane;
            int right = g.padX() + g.width();
            boolean padded = g.padX() > 0 || right < inW || g.padY() > 0 || g.height() < inH;
            if (padded) {
                java.util.Arrays.fill(row, 0, inW, padValue);
            }
            for (int y = 0; y < inH; y++) {
                int sy = y - g.padY();
                if (sy >= 0 && sy < g.height()) {
                    int p = sy * g.width() * 3 + srcC;
                    int dst = g.padX();
                    for (int x = 0; x < g.width(); x++, p += 3) {
                        row[dst + x] = (pixels[p] & 0xff) * m + a;
                    }
                    out.put(base + y * inW, row, 0, inW);
                    if (padded) {
                        // the next row may be padding: restore the pad value where pixels went
                        java.util.Arrays.fill(row, dst, dst + g.width(), padValue);
                    }
                } else {
                    out.put(base + y * inW, row, 0, inW); // a padding row: row holds pad only
                }
            }
        }
    }

    @Override
    public void close() {
        resized.close();
        size.close();
    }
}
