package io.frameflow.operators.annotate;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_8;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.circle;
import static org.bytedeco.opencv.global.opencv_imgproc.getTextSize;
import static org.bytedeco.opencv.global.opencv_imgproc.line;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.frameflow.operators.decode.ImageDecoder;
import io.frameflow.operators.decode.UndecodableImageException;
import io.frameflow.records.Detection;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.PoseKeypoints;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Draws detections on an encoded frame and re-encodes it as JPEG: a box per detection in its class
 * colour, a label with the score, a pose model's keypoints and skeleton (only the keypoints at or
 * above the keypoint threshold; the person's left side orange, right side blue, so a swap shows),
 * and a header with the camera, capture time and per-class counts.
 *
 * <p>With a maximum width, a larger frame is drawn at that width: a JPEG is decoded at 1/2, 1/4 or
 * 1/8 scale where that still covers the width (the decoder skips most of the work), then resized; a
 * 1080p camera shown in a 960-pixel viewer tile costs a quarter of the decode and encode.
 * Orientation metadata is ignored, as inference ignores it, so boxes land where they were found.
 *
 * <p>Not thread-safe: one instance per operator instance. The decoded image and the encode
 * parameters are native objects reused across frames and freed by {@link #close()}.
 */
public final class FrameAnnotator implements AutoCloseable {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final ImageDecoder decoder = new ImageDecoder();
    private final Mat resized = new Mat();
    private final IntPointer jpegParams;
    private final int maxWidth;
    private final float keypointMinScore;

    /** Default keypoint threshold: a keypoint the model is less sure of is not drawn. */
    public static final float DEFAULT_KEYPOINT_MIN_SCORE = 0.5f;

    public FrameAnnotator(int jpegQuality) {
        this(jpegQuality, 0);
    }

    /**
     * @param maxWidth widest annotated frame in pixels; 0 keeps every frame's own size
     */
    public FrameAnnotator(int jpegQuality, int maxWidth) {
        this(jpegQuality, maxWidth, DEFAULT_KEYPOINT_MIN_SCORE);
    }

    /**
     * @param keypointMinScore keypoints below this confidence (and limbs with such an end) are not
     *     drawn
     */
    public FrameAnnotator(int jpegQuality, int maxWidth, float keypointMinScore) {
        if (keypointMinScore < 0 || keypointMinScore > 1) {
            throw new IllegalArgumentException(
                    "keypoint threshold must be 0..1, got " + keypointMinScore);
        }
        this.keypointMinScore = keypointMinScore;
        if (jpegQuality < 1 || jpegQuality > 100) {
            throw new IllegalArgumentException("JPEG quality must be 1..100, got " + jpegQuality);
        }
        if (maxWidth < 0) {
            throw new IllegalArgumentException("max width must be >= 0, got " + maxWidth);
        }
        this.maxWidth = maxWidth;
        jpegParams = new IntPointer(IMWRITE_JPEG_QUALITY, jpegQuality);
    }

    /**
     * Returns the annotated JPEG.
     *
     * @throws IllegalArgumentException when {@code encoded} is not a decodable image
     */
    public byte[] annotate(byte[] encoded, FrameDetections detections) {
        ImageDecoder.Decoded decoded;
        try {
            // the decoder keeps at least the needed size: MAX_VALUE asks for no reduction
            decoded =
                    maxWidth == 0
                            ? decoder.decode(encoded, Integer.MAX_VALUE, Integer.MAX_VALUE)
                            // a reduced decode is taken down to 3/4 of the maximum: a 1920 frame
                            // with 1280 allowed comes out 960 wide from a 1/2-scale decode, far
                            // cheaper than a full decode plus a resize
                            : decoder.decode(encoded, (maxWidth * 3 + 3) / 4, 0);
        } catch (UndecodableImageException e) {
            throw new IllegalArgumentException(
                    "cannot decode image (" + encoded.length + " bytes): " + e.getMessage(), e);
        }
        Mat image = decoded.image();
        if (maxWidth > 0 && image.cols() > maxWidth) {
            int height =
                    Math.max(1, (int) Math.round(image.rows() * (double) maxWidth / image.cols()));
            resize(image, resized, new Size(maxWidth, height), 0, 0, INTER_LINEAR);
            image = resized;
        }
        double sx = image.cols() / (double) decoded.originalWidth();
        double sy = image.rows() / (double) decoded.originalHeight();
        try (PointerScope scope = new PointerScope()) {
            double scale = Math.max(0.4, Math.min(image.cols(), image.rows()) / 900.0);
            int thickness = Math.max(2, (int) Math.round(scale * 3));
            for (Detection d : detections.detections()) {
                drawDetection(image, d, sx, sy, scale, thickness);
                if (d.keypoints() != null) {
                    drawPose(image, d.keypoints(), sx, sy, thickness);
                }
            }
            drawHeader(image, detections, scale);
            BytePointer out = new BytePointer();
            if (!imencode(".jpg", image, out, jpegParams)) {
                throw new IllegalStateException("JPEG encoding failed");
            }
            byte[] jpeg = new byte[(int) out.limit()];
            out.get(jpeg);
            return jpeg;
        }
    }

    /**
     * The text over a box: label, track id (so a person can follow an object across frames), score,
     * and the classes classifiers gave it.
     */
    static String labelText(Detection d) {
        StringBuilder sb = new StringBuilder(d.label());
        if (d.trackId() != Detection.NO_TRACK) {
            sb.append(" #").append(d.trackId());
        }
        sb.append(String.format(java.util.Locale.ROOT, " %.2f", d.score()));
        if (d.attributes() != null) {
            for (io.frameflow.records.Attribute a : d.attributes()) {
                sb.append(' ').append(a.label());
            }
        }
        return sb.toString();
    }

    // Boxes and the label and header backgrounds are axis-aligned: drawn without anti-aliasing
    // they look the same at half the cost (40 -> 21 us a box outline); text and pose limbs keep it.
    private static void drawDetection(
            Mat image, Detection d, double sx, double sy, double scale, int thickness) {
        double[] c = ClassColors.bgr(d.classId());
        Scalar colour = new Scalar(c[0], c[1], c[2], 0);
        int x1 = clamp(d.x1() * sx, image.cols() - 1);
        int y1 = clamp(d.y1() * sy, image.rows() - 1);
        int x2 = clamp(d.x2() * sx, image.cols() - 1);
        int y2 = clamp(d.y2() * sy, image.rows() - 1);
        rectangle(image, new Point(x1, y1), new Point(x2, y2), colour, thickness, LINE_8, 0);

        String label = labelText(d);
        double fontScale = 0.5 * scale;
        int[] baseline = new int[1];
        Size text = getTextSize(label, FONT_HERSHEY_SIMPLEX, fontScale, 1, baseline);
        int top = Math.max(0, y1 - text.height() - baseline[0] - 2);
        rectangle(
                image,
                new Point(x1, top),
                new Point(x1 + text.width() + 4, top + text.height() + baseline[0] + 2),
                colour,
                FILLED,
                LINE_8,
                0);
        putText(
                image,
                label,
                new Point(x1 + 2, top + text.height() + 1),
                FONT_HERSHEY_SIMPLEX,
                fontScale,
                new Scalar(0, 0, 0, 0),
                1,
                LINE_AA,
                false);
    }

    private static final Scalar LEFT = new Scalar(0, 140, 255, 0); // orange (BGR)
    private static final Scalar RIGHT = new Scalar(255, 120, 0, 0); // blue
    private static final Scalar MIDDLE = new Scalar(0, 255, 0, 0); // green

    /** Limbs first, then the points on top; COCO's skeleton only when there are 17 keypoints. */
    private void drawPose(Mat image, float[] kp, double sx, double sy, int thickness) {
        int n = kp.length / 3;
        if (n == PoseKeypoints.COCO.size()) {
            for (int[] limb : PoseKeypoints.COCO_SKELETON) {
                int a = limb[0];
                int b = limb[1];
                if (kp[a * 3 + 2] < keypointMinScore || kp[b * 3 + 2] < keypointMinScore) {
                    continue;
                }
                line(
                        image,
                        point(kp, a, sx, sy, image),
                        point(kp, b, sx, sy, image),
                        cocoSide(a) == cocoSide(b) ? sideColour(a) : MIDDLE,
                        Math.max(1, thickness - 1),
                        LINE_AA,
                        0);
            }
        }
        int radius = Math.max(2, thickness + 1);
        for (int i = 0; i < n; i++) {
            if (kp[i * 3 + 2] >= keypointMinScore) {
                circle(
                        image,
                        point(kp, i, sx, sy, image),
                        radius,
                        n == PoseKeypoints.COCO.size() ? sideColour(i) : MIDDLE,
                        FILLED,
                        LINE_AA,
                        0);
            }
        }
    }

    private static Point point(float[] kp, int i, double sx, double sy, Mat image) {
        return new Point(
                clamp(kp[i * 3] * sx, image.cols() - 1),
                clamp(kp[i * 3 + 1] * sy, image.rows() - 1));
    }

    /** COCO keypoints: 0 the nose, then left/right pairs (odd = left, even = right). */
    private static int cocoSide(int i) {
        return i == 0 ? 0 : (i % 2 == 1 ? -1 : 1);
    }

    private static Scalar sideColour(int i) {
        int side = cocoSide(i);
        return side < 0 ? LEFT : side > 0 ? RIGHT : MIDDLE;
    }

    private static void drawHeader(Mat image, FrameDetections detections, double scale) {
        StringBuilder header = new StringBuilder();
        header.append(detections.camera())
                .append("  ")
                .append(TIME.format(Instant.ofEpochMilli(detections.captureTs())));
        detections
                .countByLabel()
                .forEach((label, n) -> header.append("  ").append(label).append(':').append(n));
        double fontScale = 0.55 * scale;
        int[] baseline = new int[1];
        Size text = getTextSize(header.toString(), FONT_HERSHEY_SIMPLEX, fontScale, 1, baseline);
        int height = text.height() + baseline[0] + 8;
        rectangle(
                image,
                new Point(0, 0),
                new Point(Math.min(image.cols() - 1, text.width() + 12), height),
                new Scalar(32, 32, 32, 0),
                FILLED,
                LINE_8,
                0);
        putText(
                image,
                header.toString(),
                new Point(6, text.height() + 4),
                FONT_HERSHEY_SIMPLEX,
                fontScale,
                new Scalar(255, 255, 255, 0),
                1,
                LINE_AA,
                false);
    }

    private static int clamp(double v, int max) {
        return (int) Math.max(0, Math.min(max, Math.round(v)));
    }

    @Override
    public void close() {
        decoder.close();
        resized.close();
        jpegParams.close();
    }
}
