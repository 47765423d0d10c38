package io.frameflow.viewer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hard deadline for a connection to send its request. Jetty reads request lines and headers
 * without holding a thread, but its idle timeout starts again with every byte, so a client that
 * trickles a byte now and then (slow loris) would keep its connection, and a socket, for good.
 * Every connection not inside a request (just opened, or kept alive after an answer) for longer
 * than {@code --request-timeout} is closed; answers and video streams are not limited here (Jetty's
 * idle timeout, {@code --stall-timeout}, cuts a client that stops reading).
 */
final class ConnectionDeadlines implements Connection.Listener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionDeadlines.class);

    /** Since when a connection has been waiting for a request (nanoTime); 0 while it is in one. */
    private final Map<Connection, AtomicLong> waitingSince = new ConcurrentHashMap<>();

    private final long timeoutNanos;
    private final ScheduledExecutorService watchdog;
    private final AtomicLong cut = new AtomicLong();

    ConnectionDeadlines(long timeout, TimeUnit unit) {
        this.timeoutNanos = unit.toNanos(timeout);
        this.watchdog =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "viewer-http-deadlines");
                            t.setDaemon(true);
                            return t;
                        });
        long period = Math.max(50, Math.min(250, unit.toMillis(timeout) / 4));
        watchdog.scheduleWithFixedDelay(this::closeLate, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onOpened(Connection connection) {
        waitingSince.put(connection, new AtomicLong(System.nanoTime()));
    }

    @Override
    public void onClosed(Connection connection) {
        waitingSince.remove(connection);
    }

    /** A request of {@code connection} reached the handler. */
    void requestStarted(Connection connection) {
        AtomicLong since = waitingSince.get(connection);
        if (since != null) {
            since.set(0);
        }
    }

    /** Its answer is done; the connection may carry another request. */
    void requestEnded(Connection connection) {
        AtomicLong since = waitingSince.get(connection);
        if (since != null) {
            since.set(System.nanoTime());
        }
    }

    /** Connections closed for not sending a request in time. */
    long cut() {
        return cut.get();
    }

    /** Connections open now. */
    int open() {
        return waitingSince.size();
    }

    private void closeLate() {
        long now = System.nanoTime();
        for (Map.Entry<Connection, AtomicLong> e : waitingSince.entrySet()) {
            long since = e.getValue().get();
            if (since != 0 && now - since > timeoutNanos) {
                waitingSince.remove(e.getKey());
                long n = cut.incrementAndGet();
                if (n <= 10 || n % 1000 == 0) {
                    LOG.info(
                            "Closed a connection that sent no complete request within {} ms ({} so"
                                    + " far)",
                            TimeUnit.NANOSECONDS.toMillis(timeoutNanos),
                            n);
                }
                try {
                    e.getKey().close();
                } catch (RuntimeException ex) {
                    LOG.debug("Closing a late connection failed: {}", ex.toString());
                }
            }
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }
}
