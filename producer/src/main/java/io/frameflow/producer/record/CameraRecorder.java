package io.frameflow.producer.record;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one camera's JPEG frames to an mp4, in the order they are added (put them in capture order
 * first: {@link ReorderBuffer}). The frame rate comes from the frames' own timestamps: the first
 * {@value #ESTIMATE_FRAMES} frames are held back to measure it (unless it is given), then every
 * frame is written once, in order.
 */
public final class CameraRecorder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CameraRecorder.class);
    static final int ESTIMATE_FRAMES = 30;
    private static final double DEFAULT_FPS = 25;

    private final String camera;
    private final Path file;
    private final VideoCodec codec;
    private final double fixedFps;
    private final int bitrate;
    private final LongConsumer onWritten;
    private final List<byte[]> pendingJpegs = new ArrayList<>();
    private final List<Long> pendingTimestamps = new ArrayList<>();
    private final List<Long> pendingSeqs = new ArrayList<>();
    private final OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
    private FFmpegFrameRecorder recorder;
    private int width;
    private int height;
    private double fps;
    private long written;
    private long undecodable;
    private final Mat scaled = new Mat();

    /**
     * @param fixedFps frame rate to use, or 0 to derive it from the timestamps
     * @param bitrate video bitrate in bit/s, or 0 for a default from size and rate
     * @param onWritten told the seq of each frame that went into the video (-1: it had none)
     */
    public CameraRecorder(
            String camera,
            Path file,
            VideoCodec codec,
            double fixedFps,
            int bitrate,
            LongConsumer onWritten) {
        this.camera = camera;
        this.file = file;
        this.codec = codec;
        this.fixedFps = fixedFps;
        this.bitrate = bitrate;
        this.onWritten = onWritten;
    }

    /** Adds one frame (its seq or -1, JPEG bytes, capture timestamp in ms). */
    public void add(long seq, byte[] jpeg, long timestampMillis) throws FrameRecorder.Exception {
        if (recorder == null) {
            pendingJpegs.add(jpeg);
            pendingTimestamps.add(timestampMillis);
            pendingSeqs.add(seq);
            if (pendingJpegs.size() >= ESTIMATE_FRAMES || fixedFps > 0) {
                startAndDrain();
            }
            return;
        }
        write(seq, jpeg);
    }

    private void startAndDrain() throws FrameRecorder.Exception {
        fps = fixedFps > 0 ? fixedFps : estimateFps(pendingTimestamps);
        int first = -1;
        Mat probe = null;
        for (int i = 0; i < pendingJpegs.size() && probe == null; i++) {
            Mat m = decode(pendingJpegs.get(i));
            if (m != null) {
                probe = m;
                first = i;
            }
        }
        if (probe == null) {
            undecodable += pendingJpegs.size();
            clearPending();
            return; // still waiting for a decodable frame to size the video
        }
        // yuv420p needs even dimensions
        width = probe.cols() & ~1;
        height = probe.rows() & ~1;
        probe.close();
        undecodable += first;
        FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), width, height, 0);
        r.setFormat("mp4");
        r.setFrameRate(fps);
        r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        r.setVideoBitrate(bitrate > 0 ? bitrate : defaultBitrate(width, height, fps));
        if (codec == VideoCodec.H264) {
            r.setVideoCodecName(codec.encoderName());
        } else {
            r.setVideoCodec(VideoCodec.mpeg4CodecId());
        }
        r.setGopSize((int) Math.max(1, Math.round(fps * 2)));
        r.start();
        recorder = r;
        LOG.info(
                "Recording camera {} to {} ({}x{}, {} fps, {})",
                camera,
                file,
                width,
                height,
                String.format(Locale.ROOT, "%.3f", fps),
                codec.encoderName());
        for (int i = first; i < pendingJpegs.size(); i++) {
            write(pendingSeqs.get(i), pendingJpegs.get(i));
        }
        clearPending();
    }

    private void clearPending() {
        pendingJpegs.clear();
        pendingTimestamps.clear();
        pendingSeqs.clear();
    }

    static int defaultBitrate(int w, int h, double fps) {
        return (int) Math.max(400_000, Math.min(20_000_000, w * (double) h * fps * 0.2));
    }

    /** Mean frame interval of the held-back frames, rounded to a whole rate when it is close. */
    public static double estimateFps(List<Long> timestamps) {
        if (timestamps.size() < 2) {
            return DEFAULT_FPS;
        }
        long span = timestamps.get(timestamps.size() - 1) - timestamps.get(0);
        if (span <= 0) {
            return DEFAULT_FPS;
        }
        double fps = (timestamps.size() - 1) * 1000.0 / span;
        double rounded = Math.rint(fps);
        if (rounded > 0 && Math.abs(fps - rounded) / rounded < 0.02) {
            return rounded;
        }
        return Math.round(fps * 1000) / 1000.0;
    }

    private Mat decode(byte[] jpeg) {
        Mat m;
        try (Mat buf = new Mat(1, jpeg.length, org.bytedeco.opencv.global.opencv_core.CV_8UC1)) {
            buf.data().put(jpeg);
            m = imdecode(buf, IMREAD_COLOR);
        }
        if (m == null || m.empty()) {
            if (m != null) {
                m.close();
            }
            return null;
        }
        return m;
    }

    private void write(long seq, byte[] jpeg) throws FrameRecorder.Exception {
        Mat image = decode(jpeg);
        if (image == null) {
            undecodable++;
            LOG.warn(
                    "Camera {}: skipping a frame that is not a decodable image ({} bytes)",
                    camera,
                    jpeg.length);
            return;
        }
        try {
            Mat toWrite = image;
            if (image.cols() != width || image.rows() != height) {
                try (Size size = new Size(width, height)) {
                    resize(image, scaled, size);
                }
                toWrite = scaled;
            }
            recorder.record(converter.convert(toWrite));
            written++;
            onWritten.accept(seq);
        } finally {
            image.close();
        }
    }

    public Path file() {
        return file;
    }

    /** Frames that were not decodable images and were skipped. */
    public long undecodable() {
        return undecodable;
    }

    /** What was recorded: {@code camera: N frames -> file (R fps)}. */
    public String summary() {
        return String.format(
                Locale.ROOT, "%s: %d frames -> %s (%.3f fps)", camera, written, file, fps);
    }

    /** Writes what is still held back and closes the file. */
    @Override
    public void close() throws FrameRecorder.Exception {
        if (recorder == null && !pendingJpegs.isEmpty()) {
            startAndDrain();
        }
        if (recorder != null) {
            recorder.stop();
            recorder.release();
            recorder = null;
        }
        scaled.close();
    }
}
