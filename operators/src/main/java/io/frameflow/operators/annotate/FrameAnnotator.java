package io.frameflow.operators.annotate;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.getTextSize;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

import io.frameflow.operators.model.Detection;
import io.frameflow.operators.model.FrameDetections;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Draws detections on an encoded frame and re-encodes it as JPEG: a box per detection in its class
 * colour, a label with the score, and a header with the camera, capture time and per-class counts.
 *
 * <p>Not thread-safe: one instance per operator instance. The decoded image and the encode
 * parameters are native objects reused across frames and freed by {@link #close()}.
 */
public final class FrameAnnotator implements AutoCloseable {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Mat image = new Mat();
    private final IntPointer jpegParams;
    private BytePointer input = new BytePointer(64 * 1024);

    public FrameAnnotator(int jpegQuality) {
        if (jpegQuality < 1 || jpegQuality > 100) {
            throw new IllegalArgumentException("JPEG quality must be 1..100, got " + jpegQuality);
        }
        jpegParams = new IntPointer(IMWRITE_JPEG_QUALITY, jpegQuality);
    }

    /**
     * Returns the annotated JPEG.
     *
     * @throws IllegalArgumentException when {@code encoded} is not a decodable image
     */
    public byte[] annotate(byte[] encoded, FrameDetections detections) {
        if (input.capacity() < encoded.length) {
            input.close();
            input = new BytePointer(Math.max(encoded.length, 2 * input.capacity()));
        }
        input.position(0).put(encoded, 0, encoded.length);
        try (PointerScope scope = new PointerScope()) {
            Mat buffer = new Mat(1, encoded.length, CV_8UC1, input);
            imdecode(buffer, IMREAD_COLOR, image);
            if (image.empty()) {
                throw new IllegalArgumentException(
                        "cannot decode image (" + encoded.length + " bytes)");
            }
            double scale = Math.max(0.4, Math.min(image.cols(), image.rows()) / 900.0);
            int thickness = Math.max(2, (int) Math.round(scale * 3));
            for (Detection d : detections.detections()) {
                drawDetection(d, scale, thickness);
            }
            drawHeader(detections, scale, thickness);
            BytePointer out = new BytePointer();
            if (!imencode(".jpg", image, out, jpegParams)) {
                throw new IllegalStateException("JPEG encoding failed");
            }
            byte[] jpeg = new byte[(int) out.limit()];
            out.get(jpeg);
            return jpeg;
        }
    }

    private void drawDetection(Detection d, double scale, int thickness) {
        double[] c = ClassColors.bgr(d.classId());
        Scalar colour = new Scalar(c[0], c[1], c[2], 0);
        int x1 = clamp(d.x1(), image.cols() - 1);
        int y1 = clamp(d.y1(), image.rows() - 1);
        int x2 = clamp(d.x2(), image.cols() - 1);
        int y2 = clamp(d.y2(), image.rows() - 1);
        rectangle(image, new Point(x1, y1), new Point(x2, y2), colour, thickness, LINE_AA, 0);

        String label = String.format("%s %.2f", d.label(), d.score());
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
                LINE_AA,
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

    private void drawHeader(FrameDetections detections, double scale, int thickness) {
        StringBuilder header = new StringBuilder();
        header.append(detections.camera())
                .append("  ")
                .append(TIME.format(Instant.ofEpochMilli(detections.captureTs())));
        Map<String, Integer> counts = new TreeMap<>();
        for (Detection d : detections.detections()) {
            counts.merge(d.label(), 1, Integer::sum);
        }
        counts.forEach((label, n) -> header.append("  ").append(label).append(':').append(n));
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
                LINE_AA,
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

    private static int clamp(float v, int max) {
        return Math.max(0, Math.min(max, Math.round(v)));
    }

    @Override
    public void close() {
        image.close();
        jpegParams.close();
        input.close();
    }
}
