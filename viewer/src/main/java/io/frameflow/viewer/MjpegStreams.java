package io.frameflow.viewer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves a camera as MJPEG ({@code multipart/x-mixed-replace}): each connection loops "wait for a
 * frame newer than the last one sent, send it". A connection that is still writing when new frames
 * arrive skips them, so nothing queues up per viewer. A client that stops reading blocks only its
 * own thread; a watchdog interrupts a write stalled longer than the stall timeout, which closes
 * that connection's socket (the server's channels are interruptible) and frees the thread.
 */
final class MjpegStreams implements AutoCloseable {

    static final String BOUNDARY = "frameflowframe";
    static final String CONTENT_TYPE = "multipart/x-mixed-replace; boundary=" + BOUNDARY;

    /** When a camera is silent, the newest frame is re-sent this often to notice gone clients. */
    static final long KEEPALIVE_SECONDS = 5;

    private static final byte[] FIRST_BOUNDARY =
            ("--" + BOUNDARY + "\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NEXT_BOUNDARY =
            ("\r\n--" + BOUNDARY + "\r\n").getBytes(StandardCharsets.US_ASCII);

    private final Semaphore slots;
    private final long stallTimeoutNanos;
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService watchdog;
    private final AtomicLong stalledCut = new AtomicLong();
    private volatile boolean closed;

    MjpegStreams(int maxStreams, long stallTimeout, TimeUnit unit) {
        this.slots = new Semaphore(maxStreams);
        this.stallTimeoutNanos = unit.toNanos(stallTimeout);
        this.watchdog =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "viewer-stream-watchdog");
                            t.setDaemon(true);
                            return t;
                        });
        long period = Math.max(100, unit.toMillis(stallTimeout) / 4);
        watchdog.scheduleWithFixedDelay(this::cutStalled, period, period, TimeUnit.MILLISECONDS);
    }

    /** Takes a stream slot; false when {@code --max-streams} are already open. */
    boolean tryOpen() {
        return slots.tryAcquire();
    }

    /** Sends a stream's response headers and hands back its body. */
    @FunctionalInterface
    interface Start {
        OutputStream start() throws IOException;
    }

    /**
     * What one connection sends: {@link #next} waits for the next part (at most about {@link
     * #KEEPALIVE_SECONDS}) and returns what to write, or null to wait again.
     */
    interface Parts {
        /** Written once, before the first part. */
        void begin(OutputStream out) throws IOException;

        Part next() throws InterruptedException;
    }

    /** One part ready to be written. */
    @FunctionalInterface
    interface Part {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Takes a slot, starts the response and serves it; false (nothing sent) when {@code
     * --max-streams} are open. The slot comes back however the response ends, also when starting it
     * fails (a client gone before its headers): otherwise every such failure would keep a slot
     * until all streams answer 503.
     */
    boolean serve(LatestFrame frame, Start start) throws IOException {
        return serve(mjpeg(frame), start);
    }

    /** {@link #serve(LatestFrame, Start)} for any kind of stream. */
    boolean serve(Parts parts, Start start) throws IOException {
        if (!tryOpen()) {
            return false;
        }
        OutputStream out;
        try {
            out = start.start();
        } catch (IOException | RuntimeException e) {
            slots.release();
            throw e;
        }
        pump(parts, out);
        return true;
    }

    /** Streams currently open. */
    int active() {
        return streams.size();
    }

    /** Streams cut by the watchdog so far. */
    long stalledCut() {
        return stalledCut.get();
    }

    /**
     * Writes frames of {@code frame} to {@code out} as MJPEG until the client goes away or the
     * viewer closes; the caller has sent the response headers and took a slot with {@link
     * #tryOpen()}.
     */
    void serve(LatestFrame frame, OutputStream out) throws IOException {
        pump(mjpeg(frame), out);
    }

    private void pump(Parts parts, OutputStream out) throws IOException {
        Stream stream = new Stream(Thread.currentThread());
        streams.add(stream);
        try {
            parts.begin(out);
            out.flush();
            while (!closed) {
                Part next = parts.next();
                if (next == null) {
                    continue;
                }
                stream.writing(true);
                try {
                    next.writeTo(out);
                    out.flush();
                } finally {
                    stream.writing(false);
                }
            }
        } catch (InterruptedException e) {
            // cut by the watchdog or the viewer is closing; the connection is closed
        } finally {
            streams.remove(stream);
            slots.release();
            // The thread goes back to the server's pool: it must not stay interrupted.
            Thread.interrupted();
        }
    }

    /** One camera as multipart/x-mixed-replace: the newest frame each time, skipping the rest. */
    private static Parts mjpeg(LatestFrame frame) {
        return new Parts() {
            private long sent = -1;

            @Override
            public void begin(OutputStream out) throws IOException {
                out.write(FIRST_BOUNDARY);
            }

            @Override
            public Part next() throws InterruptedException {
                LatestFrame.Frame f = frame.awaitNewer(sent, KEEPALIVE_SECONDS, TimeUnit.SECONDS);
                if (f == null) {
                    // silent camera: send the newest again to notice a gone client
                    f = frame.latest();
                    if (f == null) {
                        return null;
                    }
                }
                sent = f.version();
                LatestFrame.Frame part = f;
                return out -> writePart(out, part);
            }
        };
    }

    private static void writePart(OutputStream out, LatestFrame.Frame f) throws IOException {
        String head =
                "Content-Type: image/jpeg\r\nContent-Length: "
                        + f.jpeg().length
                        + "\r\nX-Timestamp: "
                        + f.timestamp()
                        + "\r\nX-Seq: "
                        + f.seq()
                        + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(f.jpeg());
        // The next boundary right away tells the browser this part is complete, so it shows it
        // now rather than when the next frame arrives.
        out.write(NEXT_BOUNDARY);
    }

    private void cutStalled() {
        long now = System.nanoTime();
        for (Stream s : streams) {
            s.cutIfStalled(now, stallTimeoutNanos);
        }
    }

    private void onCut() {
        stalledCut.incrementAndGet();
    }

    @Override
    public void close() {
        closed = true;
        watchdog.shutdownNow();
        for (Stream s : streams) {
            s.thread.interrupt();
        }
    }

    /** One open connection: its thread and since when its current write has been blocked. */
    private final class Stream {
        private final Thread thread;
        private long writingSince; // guarded by this; 0 when not writing

        Stream(Thread thread) {
            this.thread = thread;
        }

        synchronized void writing(boolean on) {
            writingSince = on ? Math.max(1, System.nanoTime()) : 0;
        }

        synchronized void cutIfStalled(long now, long limitNanos) {
            if (writingSince != 0 && now - writingSince > limitNanos) {
                writingSince = 0;
                onCut();
                thread.interrupt();
            }
        }
    }
}
