package io.frameflow.producer.produce;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one source on its own thread: grab, rate-limit, pace, resize + JPEG-encode, publish. Live
 * sources (RTSP/HTTP/V4L2) that drop or fail to open are retried with exponential backoff; files
 * and folders that cannot be opened fail at once with the reason.
 */
public final class SourceWorker implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(SourceWorker.class);

    /** How a worker plays its source. */
    public record Settings(
            double maxFps,
            boolean asFastAsPossible,
            boolean loop,
            long maxFrames,
            Duration duration,
            int reconnectAttempts,
            Duration reconnectInitial,
            Duration reconnectMax,
            int jpegQuality,
            int resizeWidth,
            int resizeHeight,
            int maxWidth) {}

    private final SourceSpec spec;
    private final FrameSource source;
    private final CameraPublisher publisher;
    private final List<CameraStats> cameras;
    private final Settings settings;
    private final AtomicBoolean stop;
    private volatile String failure;
    private volatile long published;

    public SourceWorker(
            SourceSpec spec,
            FrameSource source,
            CameraPublisher publisher,
            List<CameraStats> cameras,
            Settings settings,
            AtomicBoolean stop) {
        this.spec = spec;
        this.source = source;
        this.publisher = publisher;
        this.cameras = cameras;
        this.settings = settings;
        this.stop = stop;
    }

    /** Why the source failed, or null when it ran to its end (or was stopped). */
    public String failure() {
        return failure;
    }

    public SourceSpec spec() {
        return spec;
    }

    /** The camera ids this source is published as (one, or {@code --replicate} of them). */
    public List<CameraStats> cameras() {
        return cameras;
    }

    /** Frames taken from this source and published (once per camera id). */
    public long published() {
        return published;
    }

    @Override
    public void run() {
        try (JpegEncoder encoder =
                        new JpegEncoder(
                                settings.jpegQuality(),
                                settings.resizeWidth(),
                                settings.resizeHeight(),
                                settings.maxWidth());
                source) {
            play(encoder);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SourceException e) {
            fail(e.getMessage());
        } catch (RuntimeException | Error e) {
            LOG.error("Camera {}: source {} crashed", spec.cameraId(), spec.location(), e);
            fail(e.toString());
        }
    }

    private void fail(String reason) {
        failure = reason;
        LOG.error("Camera {}: source {} failed: {}", spec.cameraId(), spec.location(), reason);
    }

    private void play(JpegEncoder encoder) throws InterruptedException, SourceException {
        boolean live = spec.kind().live();
        long deadline =
                settings.duration() == null
                        ? Long.MAX_VALUE
                        : System.nanoTime() + settings.duration().toNanos();
        Backoff backoff = new Backoff(settings.reconnectInitial(), settings.reconnectMax());
        FrameRateGate gate = new FrameRateGate(settings.maxFps());
        long startWallMillis = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        long loopOffsetMicros = 0; // media time of the loops already played
        long lastMediaMicros = -1;
        long lastTimestamp = Long.MIN_VALUE;
        long skippedSeen = 0;
        boolean everOpened = false;
        int failedAttempts = 0;

        while (!stopped(deadline)) {
            // (re)open
            try {
                source.open();
                LOG.info(
                        "Camera {}: {} {}",
                        cameraNames(),
                        everOpened ? "reconnected to" : "opened",
                        source.describe());
                everOpened = true;
                failedAttempts = 0;
            } catch (SourceException e) {
                if (!live) {
                    throw e;
                }
                failedAttempts++;
                if (settings.reconnectAttempts() >= 0
                        && failedAttempts > settings.reconnectAttempts()) {
                    throw new SourceException(
                            e.getMessage() + " (gave up after " + failedAttempts + " attempts)", e);
                }
                long delay = backoff.nextDelayMillis();
                LOG.warn(
                        "Camera {}: {}; retrying in {} ms (attempt {})",
                        cameraNames(),
                        e.getMessage(),
                        delay,
                        failedAttempts);
                sleep(delay, deadline);
                continue;
            }
            // read until the end, a drop, or stop
            String endReason = null;
            boolean gotFrame = false;
            while (!stopped(deadline)) {
                GrabbedFrame frame;
                try {
                    frame = source.next();
                } catch (SourceException e) {
                    if (!live) {
                        throw e;
                    }
                    endReason = e.getMessage();
                    break;
                }
                long skipped = source.skipped();
                if (skipped > skippedSeen) {
                    long newlySkipped = skipped - skippedSeen;
                    cameras.forEach(c -> c.errors.addAndGet(newlySkipped));
                    skippedSeen = skipped;
                }
                if (frame == null) {
                    endReason = "end of stream";
                    break;
                }
                if (!gotFrame) {
                    gotFrame = true;
                    backoff.reset();
                }
                long timeMicros;
                long timestamp;
                if (live) {
                    timeMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - startNanos);
                    timestamp = frame.wallMillis();
                } else {
                    timeMicros = loopOffsetMicros + frame.mediaTimeMicros();
                    lastMediaMicros = frame.mediaTimeMicros();
                    timestamp = fileTimestamp(timeMicros, startWallMillis, frame.wallMillis());
                }
                if (!gate.accept(timeMicros)) {
                    continue;
                }
                if (!live && !settings.asFastAsPossible()) {
                    long due = startNanos + TimeUnit.MICROSECONDS.toNanos(timeMicros);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
                // strictly increasing per camera, whatever the source's clock does
                timestamp = Math.max(timestamp, lastTimestamp + 1);
                lastTimestamp = timestamp;
                byte[] jpeg = encoder.encode(frame.image());
                publisher.publish(jpeg, timestamp);
                published++;
                if (settings.maxFrames() > 0 && published >= settings.maxFrames()) {
                    return;
                }
            }
            if (stopped(deadline)) {
                return;
            }
            if (!live) {
                if (!gotFrame) {
                    if (published == 0) {
                        throw new SourceException(spec.location() + " holds no decodable frames");
                    }
                    return; // a loop that yields nothing would spin forever
                }
                if (!settings.loop()) {
                    return;
                }
                double fps = source.frameRate() > 0 ? source.frameRate() : 25;
                loopOffsetMicros += lastMediaMicros + Math.round(1_000_000 / fps);
                LOG.info("Camera {}: looping {}", cameraNames(), spec.location());
                continue;
            }
            // a live stream dropped: reconnect with backoff
            cameras.forEach(c -> c.reconnects.incrementAndGet());
            long delay = gotFrame ? 0 : backoff.nextDelayMillis();
            LOG.warn(
                    "Camera {}: stream {} dropped ({}); reconnecting{}",
                    cameraNames(),
                    spec.location(),
                    endReason,
                    delay > 0 ? " in " + delay + " ms" : "");
            source.close();
            sleep(delay, deadline);
        }
    }

    /**
     * Capture time of a file or folder frame. Played in real time: the run's start plus the frame's
     * media time (so it tracks the wall clock). As fast as possible, one pass: the same spacing,
     * anchored so the last frame lands at the start time, keeping every timestamp in the past
     * (brokers reject timestamps far in the future) while windows still see the source's own rate.
     * As fast as possible with --loop (no end to anchor to): the wall clock at grab.
     */
    private long fileTimestamp(long timeMicros, long startWallMillis, long grabWallMillis) {
        if (!settings.asFastAsPossible()) {
            return startWallMillis + timeMicros / 1000;
        }
        long length = source.lengthMicros();
        if (settings.loop() || length <= 0) {
            return grabWallMillis;
        }
        return startWallMillis - length / 1000 + timeMicros / 1000;
    }

    private boolean stopped(long deadline) {
        return stop.get()
                || Thread.currentThread().isInterrupted()
                || System.nanoTime() >= deadline;
    }

    private void sleep(long millis, long deadline) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!stopped(deadline) && System.nanoTime() < end) {
            TimeUnit.MILLISECONDS.sleep(
                    Math.min(100, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        }
    }

    private String cameraNames() {
        return cameras.size() == 1
                ? cameras.get(0).cameraId()
                : cameras.get(0).cameraId() + ".." + cameras.get(cameras.size() - 1).cameraId();
    }
}
