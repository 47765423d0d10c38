package io.frameflow.operators.policy;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_IGNORE_ORIENTATION;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_GRAYSCALE_8;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Small grey thumbnails of frames and how much two of them differ: the cheap motion test that
 * decides whether a frame is worth the detector (Frigate's idea). A JPEG is decoded at 1/8 scale in
 * grey (the decoder skips most of the work: about a tenth of a full decode) and shrunk by area
 * averaging to {@link #WIDTH} pixels wide, which also averages away most sensor and compression
 * noise.
 *
 * <p>Not thread-safe: one instance per operator instance; {@link #close()} frees the buffers.
 */
public final class Thumbnails implements AutoCloseable {

    /** Width of a thumbnail; the height keeps the frame's aspect. */
    public static final int WIDTH = 64;

    /** A grey level change above this counts a thumbnail pixel as changed (noise stays below). */
    public static final int PIXEL_DELTA = 12;

    private BytePointer encoded = new BytePointer(0L);
    private final Mat decoded = new Mat();
    private final Mat small = new Mat();

    /**
     * The frame's thumbnail: 2 bytes of width and height, then the grey pixels row by row; null
     * when the bytes do not decode.
     */
    public byte[] of(byte[] image) {
        if (image == null || image.length == 0) {
            return null;
        }
        if (encoded.capacity() < image.length) {
            encoded.close();
            encoded = new BytePointer(image.length);
        }
        encoded.position(0).put(image, 0, image.length);
        // As ImageDecoder: decoding into the kept Mat reuses its pixels, and failure is read from
        // imdecode's result, since a failed decode can leave the previous frame's pixels in dst.
        boolean failed;
        try (Mat buf = new Mat(1, image.length, CV_8UC1, encoded);
                Mat result =
                        imdecode(
                                buf,
                                IMREAD_REDUCED_GRAYSCALE_8 | IMREAD_IGNORE_ORIENTATION,
                                decoded)) {
            failed = result.empty();
        } catch (RuntimeException e) {
            return null;
        }
        if (failed || decoded.empty() || decoded.type() != CV_8UC1) {
            return null;
        }
        int h =
                Math.max(
                        1,
                        Math.min(255, Math.round(WIDTH * decoded.rows() / (float) decoded.cols())));
        try (Size size = new Size(WIDTH, h)) {
            resize(decoded, small, size, 0, 0, INTER_AREA);
        }
        byte[] out = new byte[2 + WIDTH * h];
        out[0] = (byte) WIDTH;
        out[1] = (byte) h;
        small.data().get(out, 2, WIDTH * h); // continuous: a fresh resize target
        return out;
    }

    /**
     * The share of pixels (0..1) whose grey level differs by more than {@link #PIXEL_DELTA}; 1 when
     * the thumbnails are not of the same size (the camera's resolution or aspect changed).
     */
    public static double changed(byte[] a, byte[] b) {
        if (a == null || b == null || a.length != b.length || a[0] != b[0] || a[1] != b[1]) {
            return 1;
        }
        int n = a.length - 2;
        int changed = 0;
        for (int i = 2; i < a.length; i++) {
            if (Math.abs((a[i] & 0xff) - (b[i] & 0xff)) > PIXEL_DELTA) {
                changed++;
            }
        }
        return changed / (double) n;
    }

    @Override
    public void close() {
        encoded.close();
        decoded.close();
        small.close();
    }
}
