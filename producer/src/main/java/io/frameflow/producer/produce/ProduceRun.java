package io.frameflow.producer.produce;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of {@code produce}: a thread per source and the progress display while they play; then
 * the Kafka producer is flushed (every frame handed to it is acknowledged or counted as an error),
 * the summary printed and the exit code decided. After Ctrl-C the sources get {@value
 * #STOP_GRACE_MILLIS} ms to finish their frame.
 */
final class ProduceRun {

    private static final Logger LOG = LoggerFactory.getLogger(ProduceRun.class);
    private static final long STOP_GRACE_MILLIS = 5_000;

    private final Producer<byte[], byte[]> producer;
    private final List<SourceWorker> workers;
    private final boolean terminal;
    private final boolean showProgress;
    private final long tickMillis;
    private final ProgressReporter reporter;

    /**
     * @param progress auto, tty, log or off ({@code --progress})
     * @param progressInterval how often progress is logged when not on a terminal
     */
    ProduceRun(
            Producer<byte[], byte[]> producer,
            List<SourceWorker> workers,
            String progress,
            Duration progressInterval) {
        this.producer = producer;
        this.workers = List.copyOf(workers);
        this.terminal =
                switch (progress) {
                    case "tty" -> true;
                    case "auto" -> System.console() != null;
                    default -> false;
                };
        this.showProgress = !"off".equals(progress);
        this.tickMillis = terminal ? 1000 : progressInterval.toMillis();
        List<CameraStats> cameras = new ArrayList<>();
        workers.forEach(w -> cameras.addAll(w.cameras()));
        this.reporter = new ProgressReporter(cameras, terminal, System.out);
    }

    /**
     * Plays every source to its end, or until {@code stop} is raised.
     *
     * @return 0 when every source played and every frame was published, else 1
     */
    int run(AtomicBoolean stop) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (SourceWorker w : workers) {
            Thread t = new Thread(w, "source-" + w.spec().cameraId());
            // a source blocked in FFmpeg (a listening RTSP socket) must not keep the JVM alive
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        awaitSources(threads, stop);
        producer.flush();
        producer.close(Duration.ofSeconds(30));
        if (terminal) {
            reporter.tick();
        }
        long errors = reporter.summary(workers);
        long failedSources = workers.stream().filter(w -> w.failure() != null).count();
        if (failedSources > 0 || errors > 0) {
            LOG.error(
                    "{} of {} source(s) failed, {} frame(s) not published",
                    failedSources,
                    workers.size(),
                    errors);
            return 1;
        }
        return 0;
    }

    /** Waits for the source threads, showing progress; after a stop, not longer than the grace. */
    private void awaitSources(List<Thread> threads, AtomicBoolean stop)
            throws InterruptedException {
        long nextTick = System.currentTimeMillis() + tickMillis;
        long stopSeenAt = 0;
        for (Thread t : threads) {
            while (t.isAlive()) {
                if (stop.get()) {
                    // Ctrl-C: give the sources a moment to finish their frame, then flush
                    stopSeenAt = stopSeenAt == 0 ? System.currentTimeMillis() : stopSeenAt;
                    if (System.currentTimeMillis() - stopSeenAt > STOP_GRACE_MILLIS) {
                        LOG.warn(
                                "Source {} did not stop in time; flushing without it", t.getName());
                        break;
                    }
                }
                t.join(Math.max(1, Math.min(200, nextTick - System.currentTimeMillis())));
                if (showProgress && System.currentTimeMillis() >= nextTick) {
                    reporter.tick();
                    nextTick = System.currentTimeMillis() + tickMillis;
                }
            }
        }
    }
}
