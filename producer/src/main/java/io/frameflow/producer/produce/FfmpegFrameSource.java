package io.frameflow.producer.produce;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

/** Video files, network streams and V4L2 webcams through FFmpeg (javacv's FFmpegFrameGrabber). */
public final class FfmpegFrameSource implements FrameSource {

    static {
        // FFmpeg's own warnings (e.g. about RTP reordering) would drown the progress display
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    private final SourceSpec spec;
    private final Map<String, String> options;
    private final int ioTimeoutMillis;
    private final OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
    private FFmpegFrameGrabber grabber;
    private long firstTimestamp = Long.MIN_VALUE;

    /**
     * @param spec where to read from
     * @param userOptions FFmpeg format options (e.g. rtsp_transport, video_size), applied last
     * @param ioTimeoutMillis network read/connect timeout
     */
    public FfmpegFrameSource(
            SourceSpec spec, Map<String, String> userOptions, int ioTimeoutMillis) {
        this.spec = spec;
        this.ioTimeoutMillis = ioTimeoutMillis;
        this.options = new LinkedHashMap<>();
        String lower = spec.location().toLowerCase(Locale.ROOT);
        if (lower.startsWith("rtsp")) {
            // TCP interleaving survives NAT and loses no packets; timeout is in microseconds
            options.put("rtsp_transport", "tcp");
            options.put("timeout", String.valueOf(ioTimeoutMillis * 1000L));
        } else if (lower.startsWith("http")) {
            options.put("timeout", String.valueOf(ioTimeoutMillis * 1000L));
        } else if (lower.startsWith("rtmp")) {
            options.put("rw_timeout", String.valueOf(ioTimeoutMillis * 1000L));
        }
        options.putAll(userOptions);
    }

    private boolean listening() {
        return options.getOrDefault("rtsp_flags", "").contains("listen")
                || options.containsKey("listen_timeout")
                || "1".equals(options.get("listen"));
    }

    @Override
    public void open() throws SourceException {
        close();
        if (spec.kind() == SourceKind.FILE) {
            Path file = Path.of(spec.location());
            if (!Files.exists(file)) {
                throw new SourceException("file not found: " + file.toAbsolutePath());
            }
            if (!Files.isReadable(file)) {
                throw new SourceException("file not readable: " + file.toAbsolutePath());
            }
        }
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(spec.openTarget());
        if (spec.kind() == SourceKind.V4L2) {
            g.setFormat("video4linux2");
        }
        if (spec.kind() == SourceKind.STREAM && !listening()) {
            // javacv aborts blocking FFmpeg calls after this long (listen mode must wait freely)
            g.setTimeout(ioTimeoutMillis);
        }
        g.setOptions(new LinkedHashMap<>(options));
        g.setPixelFormat(AV_PIX_FMT_BGR24);
        try {
            g.start();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            releaseQuietly(g);
            throw new SourceException("cannot open " + spec.location() + ": " + ffmpegReason(e), e);
        }
        if (!g.hasVideo()) {
            releaseQuietly(g);
            throw new SourceException(spec.location() + " has no video stream");
        }
        grabber = g;
        firstTimestamp = Long.MIN_VALUE;
    }

    @Override
    public GrabbedFrame next() throws SourceException {
        if (grabber == null) {
            throw new SourceException("source " + spec.location() + " is not open");
        }
        Frame frame;
        try {
            frame = grabber.grabImage();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            throw new SourceException("cannot read " + spec.location() + ": " + ffmpegReason(e), e);
        }
        if (frame == null || frame.image == null) {
            return null;
        }
        long wall = System.currentTimeMillis();
        Mat image = converter.convert(frame);
        long media = -1;
        if (!spec.kind().live()) {
            long ts = frame.timestamp;
            if (firstTimestamp == Long.MIN_VALUE) {
                firstTimestamp = ts;
            }
            media = Math.max(0, ts - firstTimestamp);
        }
        return new GrabbedFrame(image, media, wall);
    }

    @Override
    public double frameRate() {
        return grabber == null ? 0 : grabber.getFrameRate();
    }

    @Override
    public long lengthMicros() {
        if (grabber == null || spec.kind().live()) {
            return -1;
        }
        long length = grabber.getLengthInTime();
        return length > 0 ? length : -1;
    }

    @Override
    public String describe() {
        if (grabber == null) {
            return spec.location();
        }
        return String.format(
                Locale.ROOT,
                "%s (%dx%d, %.2f fps, %s)",
                spec.location(),
                grabber.getImageWidth(),
                grabber.getImageHeight(),
                grabber.getFrameRate(),
                grabber.getVideoCodecName());
    }

    @Override
    public void close() {
        if (grabber != null) {
            releaseQuietly(grabber);
            grabber = null;
        }
    }

    private static void releaseQuietly(FFmpegFrameGrabber g) {
        try {
            g.close();
        } catch (Exception | Error ignored) {
            // closing a half-open grabber can fail; the source is being discarded anyway
        }
    }

    /**
     * javacv's message carries FFmpeg's error code ("... error -1094995529: Could not open input
     * ... (Has setFormat() been called?) ..."); turn it into FFmpeg's own text.
     */
    static String ffmpegReason(Throwable e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("error (-\\d+)").matcher(msg);
        if (m.find()) {
            int code = Integer.parseInt(m.group(1));
            try (org.bytedeco.javacpp.BytePointer buf = new org.bytedeco.javacpp.BytePointer(256)) {
                if (avutil.av_strerror(code, buf, 256) == 0) {
                    byte[] text = new byte[256];
                    buf.get(text);
                    int len = 0;
                    while (len < text.length && text[len] != 0) {
                        len++;
                    }
                    return new String(text, 0, len, java.nio.charset.StandardCharsets.UTF_8)
                            + " (FFmpeg error "
                            + code
                            + ")";
                }
            }
        }
        return msg.replaceAll("\\s*\\((Has setFormat|For more details)[^)]*\\)", "").trim();
    }
}
