package io.frameflow.producer.produce;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Downscales (optionally) and JPEG-encodes BGR frames with OpenCV's imencode. One instance per
 * thread: it reuses its resize buffer.
 */
public final class JpegEncoder implements AutoCloseable {

    private final int quality;
    private final int resizeWidth;
    private final int resizeHeight;
    private final int maxWidth;
    private final IntPointer params;
    private final Mat resized = new Mat();

    /**
     * @param quality JPEG quality 1..100
     * @param resizeWidth exact output width, or 0
     * @param resizeHeight exact output height, or 0
     * @param maxWidth downscale (keeping the aspect ratio) when wider than this, or 0
     */
    public JpegEncoder(int quality, int resizeWidth, int resizeHeight, int maxWidth) {
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("JPEG quality must be 1..100, got " + quality);
        }
        this.quality = quality;
        this.resizeWidth = resizeWidth;
        this.resizeHeight = resizeHeight;
        this.maxWidth = maxWidth;
        this.params = new IntPointer(IMWRITE_JPEG_QUALITY, quality);
    }

    public int quality() {
        return quality;
    }

    /** Encodes the frame, after resizing when asked; returns the JPEG bytes. */
    public byte[] encode(Mat image) {
        Mat toEncode = scale(image);
        try (BytePointer buf = new BytePointer()) {
            if (!imencode(".jpg", toEncode, buf, params)) {
                throw new IllegalStateException(
                        "OpenCV could not JPEG-encode a "
                                + image.cols()
                                + "x"
                                + image.rows()
                                + " frame");
            }
            byte[] out = new byte[(int) buf.limit()];
            buf.get(out);
            return out;
        }
    }

    /** The image to encode: the input itself, or a downscaled copy in the reused buffer. */
    Mat scale(Mat image) {
        int w = image.cols();
        int h = image.rows();
        int tw = w;
        int th = h;
        if (resizeWidth > 0 && resizeHeight > 0) {
            tw = resizeWidth;
            th = resizeHeight;
        } else if (maxWidth > 0 && w > maxWidth) {
            tw = maxWidth;
            th = Math.max(2, (int) Math.round((double) h * maxWidth / w) & ~1);
        }
        if (tw == w && th == h) {
            return image;
        }
        int interpolation = tw < w ? INTER_AREA : INTER_LINEAR;
        try (Size size = new Size(tw, th)) {
            resize(image, resized, size, 0, 0, interpolation);
        }
        return resized;
    }

    @Override
    public void close() {
        params.close();
        resized.close();
    }
}
