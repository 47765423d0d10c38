package io.frameflow.operators.decode;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_IGNORE_ORIENTATION;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_2;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_8;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import io.frameflow.records.wire.ImageInfo;
import io.frameflow.records.wire.ImageProbe;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Decodes JPEG/PNG bytes to BGR with OpenCV. When the frame is at least twice as large as what the
 * model needs, JPEGs are decoded at 1/2, 1/4 or 1/8 size by the decoder itself (IDCT scaling),
 * which is much cheaper than decoding full size and resizing. EXIF orientation is ignored so the
 * pixels match the header's width and height (cameras send raw sensor orientation).
 *
 * <p>Not thread-safe: one instance per worker; it reuses its native buffers between frames.
 */
public final class ImageDecoder implements AutoCloseable {

    private BytePointer encoded = new BytePointer(0L);
    private final Mat decoded = new Mat();

    /** Result of one decode; {@link #image} stays valid until the next call. */
    public record Decoded(Mat image, int originalWidth, int originalHeight, int reduction) {}

    /**
     * @param neededWidth smallest width the resize step needs (the reduced image is never smaller)
     * @param neededHeight smallest height it needs
     */
    public Decoded decode(byte[] bytes, int neededWidth, int neededHeight)
            throws UndecodableImageException {
        return decode(bytes, ImageProbe.header(bytes), neededWidth, neededHeight);
    }

    /**
     * @param header the bytes' {@linkplain ImageProbe#header header} when the caller has read it
     *     already (null: not readable)
     */
    public Decoded decode(byte[] bytes, ImageInfo header, int neededWidth, int neededHeight)
            throws UndecodableImageException {
        if (bytes == null || bytes.length == 0) {
            throw new UndecodableImageException("empty payload");
        }
        int reduction = 1;
        if (header != null && header.jpeg()) {
            reduction =
                    reductionFor(
                            (int) header.width(), (int) header.height(), neededWidth, neededHeight);
        }
        int flags = IMREAD_IGNORE_ORIENTATION | flagFor(reduction);
        if (encoded.capacity() < bytes.length) {
            encoded.close();
            encoded = new BytePointer(bytes.length);
        }
        encoded.position(0).put(bytes, 0, bytes.length);
        // Decoding into the kept Mat reuses its pixels when the size repeats: releasing it first
        // cost a fresh allocation and its page faults every frame (3 ms instead of 0.65 for a
        // 768x432 JPEG on a 2-core VM). imdecode can leave dst untouched or half-written when it
        // fails, so failure is read from its result (empty then), never from dst: a broken frame
        // must not pass with the previous frame's pixels.
        boolean failed;
        try (Mat buf = new Mat(1, bytes.length, CV_8UC1, encoded)) {
            try (Mat result = imdecode(buf, flags, decoded)) {
                failed = result.empty();
            } catch (RuntimeException e) {
                throw new UndecodableImageException(
                        "OpenCV failed on " + bytes.length + " bytes: " + e.getMessage());
            }
        }
        if (failed || decoded.empty() || decoded.type() != CV_8UC3) {
            if (header != null) {
                // the headers parse (so the validator let it through) but the pixels do not
                throw new UndecodableImageException(
                        "OpenCV could not decode this "
                                + (header.jpeg() ? "JPEG" : "PNG")
                                + " of "
                                + header.width()
                                + "x"
                                + header.height()
                                + " ("
                                + bytes.length
                                + " bytes): unsupported coding (e.g. hierarchical or 12-bit"
                                + " JPEG) or corrupt data");
            }
            throw new UndecodableImageException(
                    "not a JPEG/PNG image OpenCV can decode ("
                            + bytes.length
                            + " bytes, starts with "
                            + hexPrefix(bytes)
                            + ")");
        }
        int ow = header != null ? (int) header.width() : decoded.cols();
        int oh = header != null ? (int) header.height() : decoded.rows();
        if (header != null && reduction == 1 && (ow != decoded.cols() || oh != decoded.rows())) {
            ow = decoded.cols();
            oh = decoded.rows();
        }
        return new Decoded(decoded, ow, oh, reduction);
    }

    /** Native bytes kept between frames: the encoded copy and the decoded image. */
    public long bytesHeld() {
        // elemSize() asserts on an empty Mat
        return encoded.capacity() + (decoded.empty() ? 0 : decoded.total() * decoded.elemSize());
    }

    /**
     * Frees the buffers kept for the next frame when they hold more than {@code maxBytes}: one huge
     * frame would otherwise stay pinned in every pooled decoder it passed through. The last {@link
     * Decoded#image} is invalid afterwards.
     */
    public void releaseIfAbove(long maxBytes) {
        if (bytesHeld() > maxBytes) {
            decoded.release();
            encoded.close();
            encoded = new BytePointer(0L);
        }
    }

    /** Largest of 8, 4, 2 (else 1) that keeps the decoded image at least the needed size. */
    static int reductionFor(int w, int h, int neededW, int neededH) {
        for (int f : new int[] {8, 4, 2}) {
            if ((w + f - 1) / f >= neededW && (h + f - 1) / f >= neededH) {
                return f;
            }
        }
        return 1;
    }

    private static int flagFor(int reduction) {
        switch (reduction) {
            case 8:
                return IMREAD_REDUCED_COLOR_8;
            case 4:
                return IMREAD_REDUCED_COLOR_4;
            case 2:
                return IMREAD_REDUCED_COLOR_2;
            default:
                return IMREAD_COLOR;
        }
    }

    private static String hexPrefix(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(4, b.length); i++) {
            sb.append(String.format("%02x", b[i] & 0xff));
        }
        return sb.toString();
    }

    @Override
    public void close() {
        decoded.close();
        encoded.close();
    }
}
