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

    private void writeChw(InputGeometry g, FloatBuffer out, int offset) {
        int plane = inW * inH;
        float[] mul = spec.mul();
        float[] add = spec.add();
        for (int c = 0; c < 3; c++) {
            int srcC = spec.rgb() ? 2 - c : c; // OpenCV gives BGR
            float m = mul[c];
            float a = add[c];
            float padValue = spec.pad() * m + a;
            int base = offset + c * plane;
            for (int y = 0; y < inH; y++) {
                int row = base + y * inW;
                int sy = y - g.padY();
                if (sy < 0 || sy >= g.height()) {
                    fill(out, row, inW, padValue);
                    continue;
                }
                if (g.padX() > 0) {
                    fill(out, row, g.padX(), padValue);
                }
                int p = sy * g.width() * 3 + srcC;
                int dst = row + g.padX();
                for (int x = 0; x < g.width(); x++, p += 3) {
                    out.put(dst + x, (pixels[p] & 0xff) * m + a);
                }
                int right = g.padX() + g.width();
                if (right < inW) {
                    fill(out, row + right, inW - right, padValue);
                }
            }
        }
    }

    private static void fill(FloatBuffer out, int from, int count, float v) {
        for (int i = 0; i < count; i++) {
            out.put(from + i, v);
        }
    }

    @Override
    public void close() {
        resized.close();
        size.close();
    }
}
