package io.frameflow.viewer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Many cameras' newest frames on one connection, so a page shows every tile live: browsers open at
 * most six HTTP/1.1 connections per host, one MJPEG stream per tile would stop at four or five.
 *
 * <p>The body is {@code FRAMEFLOW-FRAMES 1\n}, then parts of a text line {@code <camera> <seq>
 * <timestamp> <length>\n} (camera id percent-encoded) followed by that many JPEG bytes. A part with
 * camera {@code -} and length 0 is a keep-alive. Each time, every camera with a frame newer than
 * the one it last got is sent its newest frame; frames that arrived while the connection was
 * writing are skipped, so a slow client never builds a backlog.
 */
final class LiveFrames implements MjpegStreams.Parts {

    static final String CONTENT_TYPE = "application/x-frameflow-frames";

    /** Cameras one connection may ask for: a page of tiles, not the whole site. */
    static final int MAX_CAMERAS = 64;

    private static final byte[] PREAMBLE =
            "FRAMEFLOW-FRAMES 1\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEPALIVE = "- -1 0 0\n".getBytes(StandardCharsets.US_ASCII);
    private static final long KEEPALIVE_NANOS =
            TimeUnit.SECONDS.toNanos(MjpegStreams.KEEPALIVE_SECONDS);

    private final CameraRegistry registry;
    private final FrameSignal signal;
    private final List<String> cameras;
    private final long[] sent;
    private long lastPartNanos = System.nanoTime();

    LiveFrames(CameraRegistry registry, List<String> cameras) {
        if (cameras.isEmpty() || cameras.size() > MAX_CAMERAS) {
            throw new IllegalArgumentException(
                    "ask for 1 to " + MAX_CAMERAS + " cameras, got " + cameras.size());
        }
        this.registry = registry;
        this.signal = registry.signal();
        this.cameras = List.copyOf(cameras);
        this.sent = new long[cameras.size()];
        Arrays.fill(sent, -1);
    }

    @Override
    public void begin(OutputStream out) throws IOException {
        out.write(PREAMBLE);
    }

    @Override
    public MjpegStreams.Part next() throws InterruptedException {
        long rings = signal.rings();
        List<LatestFrame.Frame> frames = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < cameras.size(); i++) {
            Optional<CameraState> camera = registry.get(cameras.get(i));
            LatestFrame.Frame f = camera.isEmpty() ? null : camera.get().frame().latest();
            if (f != null && f.version() > sent[i]) {
                sent[i] = f.version();
                frames.add(f);
                names.add(cameras.get(i));
            }
        }
        long now = System.nanoTime();
        if (!frames.isEmpty()) {
            lastPartNanos = now;
            return out -> {
                for (int i = 0; i < frames.size(); i++) {
                    writeFrame(out, names.get(i), frames.get(i));
                }
            };
        }
        if (now - lastPartNanos >= KEEPALIVE_NANOS) {
            // a silent page still writes now and then, so a gone client is noticed
            lastPartNanos = now;
            return out -> out.write(KEEPALIVE);
        }
        signal.awaitAfter(rings, 1, TimeUnit.SECONDS);
        return null;
    }

    private static void writeFrame(OutputStream out, String camera, LatestFrame.Frame f)
            throws IOException {
        String head =
                URLEncoder.encode(camera, StandardCharsets.UTF_8).replace("+", "%20")
                        + " "
                        + f.seq()
                        + " "
                        + f.timestamp()
                        + " "
                        + f.jpeg().length
                        + "\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(f.jpeg());
    }
}
