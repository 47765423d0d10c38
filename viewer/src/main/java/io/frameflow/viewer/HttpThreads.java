package io.frameflow.viewer;

import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads of the viewer's HTTP server, bounded and with time limits.
 *
 * <p>The JDK's server hands a connection to its executor as soon as the first byte arrives, and the
 * executor's thread then reads the request line and headers, blocking, before any handler (and so
 * before the token check) runs. A client that sends half a request and stops (slow loris) holds
 * that thread. Hence:
 *
 * <ul>
 *   <li>at most {@code maxThreads} threads ({@value #NAME}N), with a queue of as many requests;
 *   <li>a request still being read {@code requestTimeout} after it arrived is cut (its socket is
 *       closed by interrupting the thread: the server's channels are interruptible), also one that
 *       waited that long in the queue; while requests wait for a thread, one still being read after
 *       {@value #PRESSURE_READ_MILLIS} ms is cut at once (a browser sends its request in one go);
 *   <li>an answer other than a video stream not delivered within {@code responseTimeout} is cut (a
 *       stream is watched by {@link MjpegStreams} for stalls instead, and lives as long as its
 *       client reads);
 *   <li>when threads and queue are full, up to {@value #BUSY_THREADS} more threads ({@value
 *       #BUSY_NAME}N) read the request for at most {@value #BUSY_READ_MILLIS} ms and answer 503
 *       with {@code Retry-After}; when those are busy too, the connection is closed at once. Both
 *       are counted and logged.
 * </ul>
 *
 * The JDK's own limits ({@code sun.net.httpserver.maxReqTime} / {@code maxRspTime}) are not used:
 * they hold for the whole JVM from the first server created in it, and {@code maxRspTime} would cut
 * every video stream.
 */
final class HttpThreads implements Executor, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpThreads.class);

    static final String NAME = "viewer-http-";
    static final String BUSY_NAME = "viewer-http-busy-";
    static final String WATCHDOG_NAME = "viewer-http-watchdog";

    /** Threads that answer 503 when the others and their queue are full. */
    static final int BUSY_THREADS = 4;

    /** How long a busy thread waits for the request it is to refuse. */
    static final long BUSY_READ_MILLIS = 1000;

    /** While requests wait for a thread, how long one may take to send its request. */
    static final long PRESSURE_READ_MILLIS = 1000;

    private static final long REFUSAL_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private enum Phase {
        READING,
        RESPONDING,
        STREAMING,
        CUT
    }

    private final ThreadPoolExecutor pool;
    private final ThreadPoolExecutor busy;
    private final ScheduledExecutorService watchdog;
    private final long requestTimeoutNanos;
    private final long responseTimeoutNanos;
    private final Set<Task> running = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<Task> current = new ThreadLocal<>();
    private final AtomicLong requestsCut = new AtomicLong();
    private final AtomicLong responsesCut = new AtomicLong();
    private final AtomicLong answeredBusy = new AtomicLong();
    private final AtomicLong closedBusy = new AtomicLong();
    private final AtomicLong lastRefusalLog = new AtomicLong(System.nanoTime() - (1L << 62));

    /**
     * @param maxThreads threads at most (the busy ones aside), and requests queued at most
     * @param requestTimeout time to send the request line and headers
     * @param responseTimeout time to take an answer other than a video stream
     */
    HttpThreads(int maxThreads, long requestTimeout, long responseTimeout, TimeUnit unit) {
        if (maxThreads < 1 || requestTimeout <= 0 || responseTimeout <= 0) {
            throw new IllegalArgumentException("threads and timeouts must be positive");
        }
        this.requestTimeoutNanos = unit.toNanos(requestTimeout);
        this.responseTimeoutNanos = unit.toNanos(responseTimeout);
        this.pool =
                new ThreadPoolExecutor(
                        maxThreads,
                        maxThreads,
                        30,
                        TimeUnit.SECONDS,
                        new ArrayBlockingQueue<>(maxThreads),
                        named(NAME),
                        (task, executor) -> overflow((Task) task));
        pool.allowCoreThreadTimeOut(true);
        this.busy =
                new ThreadPoolExecutor(
                        BUSY_THREADS,
                        BUSY_THREADS,
                        30,
                        TimeUnit.SECONDS,
                        new SynchronousQueue<>(),
                        named(BUSY_NAME),
                        (task, executor) -> refuse());
        busy.allowCoreThreadTimeOut(true);
        this.watchdog =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, WATCHDOG_NAME);
                            t.setDaemon(true);
                            return t;
                        });
        long period =
                Math.max(
                        50,
                        Math.min(
                                250,
                                TimeUnit.NANOSECONDS.toMillis(
                                                Math.min(requestTimeoutNanos, responseTimeoutNanos))
                                        / 4));
        watchdog.scheduleWithFixedDelay(this::cutLate, period, period, TimeUnit.MILLISECONDS);
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Runs one exchange of the server (read the request, then the handler). */
    @Override
    public void execute(Runnable exchange) {
        pool.execute(new Task(exchange, false, System.nanoTime() + requestTimeoutNanos));
    }

    private void overflow(Task task) {
        if (pool.isShutdown()) {
            throw new RejectedExecutionException("viewer is closing");
        }
        busy.execute(
                new Task(
                        task.exchange,
                        true,
                        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BUSY_READ_MILLIS)));
    }

    /** Both pools full: the server closes the connection at once. */
    private void refuse() {
        closedBusy.incrementAndGet();
        logRefusals();
        throw new RejectedExecutionException("viewer busy");
    }

    private void logRefusals() {
        long now = System.nanoTime();
        long last = lastRefusalLog.get();
        if (now - last >= REFUSAL_LOG_INTERVAL_NANOS && lastRefusalLog.compareAndSet(last, now)) {
            LOG.warn(
                    "HTTP threads busy ({} + {} and {} queued): {} requests answered 503 and {}"
                            + " connections closed unread so far; {} requests cut for being sent"
                            + " too slowly",
                    pool.getMaximumPoolSize(),
                    BUSY_THREADS,
                    pool.getQueue().size(),
                    answeredBusy.get(),
                    closedBusy.get(),
                    requestsCut.get());
        }
    }

    /** The handler has the request: from now on the response time limit holds. */
    void requestRead() {
        Task t = current.get();
        if (t != null) {
            t.enter(Phase.RESPONDING);
        }
    }

    /** The handler streams video: no response time limit (the stall watchdog stands in). */
    void streaming() {
        Task t = current.get();
        if (t != null) {
            t.enter(Phase.STREAMING);
        }
    }

    /**
     * Whether this request came while every thread and the queue were taken: answer 503 (and count
     * it).
     */
    boolean refusing() {
        Task t = current.get();
        if (t == null || !t.busy) {
            return false;
        }
        answeredBusy.incrementAndGet();
        logRefusals();
        return true;
    }

    private void cutLate() {
        long now = System.nanoTime();
        boolean waiting = !pool.getQueue().isEmpty();
        for (Task t : running) {
            t.cutIfLate(now, waiting);
        }
    }

    /** Threads of the server now (busy ones included). */
    /** Requests waiting for a thread. */
    int queued() {
        return pool.getQueue().size();
    }

    int threads() {
        return pool.getPoolSize() + busy.getPoolSize();
    }

    /** Requests cut because they were sent too slowly or waited too long for a thread. */
    long requestsCut() {
        return requestsCut.get();
    }

    /** Answers (other than video streams) cut because the client took too long to read them. */
    long responsesCut() {
        return responsesCut.get();
    }

    /** Requests answered 503 or closed unread because every thread was taken. */
    long refused() {
        return answeredBusy.get() + closedBusy.get();
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        pool.shutdownNow();
        busy.shutdownNow();
    }

    /** One exchange: its thread, what it is doing and until when it may. */
    private final class Task implements Runnable {
        final Runnable exchange;
        final boolean busy;
        final long readDeadline;
        private Thread thread; // guarded by this; null when not running
        private Phase phase;
        private long startedNanos;
        private long responseDeadline;

        Task(Runnable exchange, boolean busy, long readDeadline) {
            this.exchange = exchange;
            this.busy = busy;
            this.readDeadline = readDeadline;
        }

        @Override
        public void run() {
            Thread me = Thread.currentThread();
            long now = System.nanoTime();
            synchronized (this) {
                thread = me;
                phase = Phase.READING;
                startedNanos = now;
            }
            current.set(this);
            running.add(this);
            try {
                if (now - readDeadline >= 0) {
                    // waited in the queue past the request timeout: its first read closes it
                    synchronized (this) {
                        phase = Phase.CUT;
                    }
                    requestsCut.incrementAndGet();
                    me.interrupt();
                }
                exchange.run();
            } finally {
                running.remove(this);
                current.remove();
                synchronized (this) {
                    thread = null;
                }
                // the thread goes back to the pool: it must not stay interrupted
                Thread.interrupted();
            }
        }

        synchronized void enter(Phase next) {
            if (phase == Phase.CUT) {
                return;
            }
            phase = next;
            responseDeadline = System.nanoTime() + responseTimeoutNanos;
        }

        synchronized void cutIfLate(long now, boolean requestsWaiting) {
            if (thread == null) {
                return;
            }
            boolean late;
            if (phase == Phase.READING) {
                late =
                        now - readDeadline >= 0
                                || (requestsWaiting
                                        && !busy
                                        && now
                                                        - startedNanos
                                                        - TimeUnit.MILLISECONDS.toNanos(
                                                                PRESSURE_READ_MILLIS)
                                                >= 0);
                if (late) {
                    requestsCut.incrementAndGet();
                }
            } else if (phase == Phase.RESPONDING) {
                late = now - responseDeadline >= 0;
                if (late) {
                    responsesCut.incrementAndGet();
                }
            } else {
                late = false;
            }
            if (late) {
                phase = Phase.CUT;
                thread.interrupt();
            }
        }
    }
}
