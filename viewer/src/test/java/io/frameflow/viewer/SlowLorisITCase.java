package io.frameflow.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.testkit.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #15 fault 8, threads and timeouts: clients that send half a request line and then a byte
 * now and then (slow loris), more of them than the viewer has HTTP threads. Jetty reads requests
 * without a thread, so they take none: the viewer's threads stay bounded, a viewer with the token
 * gets its page at once, and every slow socket is closed by the server within the request timeout
 * although it keeps sending (Jetty's idle timeout alone would never close it).
 */
class SlowLorisITCase {

    private static final String TOKEN = "loris-token";
    private static final int THREADS = 8;
    private static final int TIMEOUT_S = 3;

    /** Closing a slow socket may take the timeout plus the watchdog's tick and a loaded machine. */
    private static final long CLOSE_SLACK_MS = 2000;

    /** Request threads, Jetty's own, and the deadline watchdog. */
    private static final int THREAD_BOUND = THREADS + ViewerHttp.OWN_THREADS + 1;

    /** A page while slow clients are open comes as fast as without them, give or take a load. */
    private static final long PAGE_MS = 1500;

    private Viewer viewer;
    private final List<SlowClient> slow = new ArrayList<>();
    private ThreadSampler sampler;

    /** Viewer HTTP threads alive before this test's viewer started (other tests'): not counted. */
    private final Set<Long> before = new HashSet<>();

    /** A socket that sends part of a request line, then one more byte every half second. */
    private static final class SlowClient {
        final Socket socket = new Socket();
        final long openedNanos;
        volatile long closedNanos;
        final Thread watcher;

        SlowClient(int port, int n) throws IOException {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            openedNanos = System.nanoTime();
            socket.getOutputStream()
                    .write(
                            ("GET /api/cameras?token=" + TOKEN + " HTTP/1.1\r\nX-Slow-" + n + ": ")
                                    .getBytes(StandardCharsets.ISO_8859_1));
            watcher = new Thread(this::watch, "test-loris-" + n);
            watcher.setDaemon(true);
            watcher.start();
        }

        /** Notes when the server closes the socket; trickles a byte every 500 ms until then. */
        private void watch() {
            try {
                socket.setSoTimeout(500);
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                byte[] buf = new byte[4096];
                while (true) {
                    try {
                        if (in.read(buf) < 0) {
                            break;
                        }
                    } catch (java.net.SocketTimeoutException e) {
                        out.write('a');
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // reset by the server: closed as well
            }
            closedNanos = System.nanoTime();
        }

        boolean closed() {
            return closedNanos != 0;
        }

        long openMillis() {
            return ((closed() ? closedNanos : System.nanoTime()) - openedNanos) / 1_000_000;
        }
    }

    /** The most viewer HTTP threads seen alive at once. */
    private final class ThreadSampler implements AutoCloseable {
        final AtomicInteger max = new AtomicInteger();
        final Thread thread;
        volatile boolean running = true;

        ThreadSampler() {
            thread =
                    new Thread(
                            () -> {
                                while (running) {
                                    max.accumulateAndGet(httpThreads(null), Math::max);
                                    try {
                                        Thread.sleep(20);
                                    } catch (InterruptedException e) {
                                        return;
                                    }
                                }
                            },
                            "test-thread-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(2000);
        }
    }

    /**
     * This viewer's live threads named viewer-http-*, or only viewer-http-<number> (Jetty's pool,
     * not the deadline watchdog) when {@code plain}.
     */
    private int httpThreads(Boolean plain) {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            if (t.isAlive() && name.startsWith("viewer-http-") && !before.contains(t.getId())) {
                if (plain == null || name.substring("viewer-http-".length()).matches("\\d+")) {
                    n++;
                }
            }
        }
        return n;
    }

    @BeforeEach
    void start() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.shared();
        broker.createTopics(1, "loris-annotated", "loris-stats");
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("viewer-http-")) {
                before.add(t.getId());
            }
        }
        viewer =
                Viewer.start(
                        ViewerOptions.parse(
                                "--bootstrap-servers=" + broker.bootstrapServers(),
                                "--port=0",
                                "--token=" + TOKEN,
                                "--annotated-topic=loris-annotated",
                                "--stats-topic=loris-stats",
                                "--max-streams=2",
                                "--http-threads=" + THREADS,
                                "--request-timeout=" + TIMEOUT_S));
        assertThat(page().status()).isEqualTo(200);
        sampler = new ThreadSampler();
    }

    @AfterEach
    void stop() throws Exception {
        for (SlowClient c : slow) {
            c.socket.close();
        }
        if (sampler != null) {
            sampler.close();
        }
        if (viewer != null) {
            viewer.close();
        }
    }

    @Test
    void slowClientsAreCutAndAViewerWithTheTokenStillGetsItsPage() throws Exception {
        int count = THREADS + 6; // more than the request threads
        openSlow(count);
        Thread.sleep(500); // every slow client has sent its first bytes and trickles

        long t0 = System.nanoTime();
        TestCameras.Response page = page();
        long pageMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf(
                "slow-loris: %d slow clients, %d threads: the page came in %d ms%n",
                count, THREADS, pageMs);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<html");
        assertThat(pageMs).as("ms until the page came").isLessThan(PAGE_MS);

        awaitSlowClosed();
        assertThat(sampler.max.get())
                .as("viewer HTTP threads at most (bound %d)", THREAD_BOUND)
                .isLessThanOrEqualTo(THREAD_BOUND);
        assertThat((Long) viewer.status().get("requestsCut")).isGreaterThanOrEqualTo(count);
        assertThat(page().status()).isEqualTo(200);
    }

    @Test
    void aFloodOfSlowClientsTakesNoThreadAndIsCutInTime() throws Exception {
        int count = 6 * THREADS + 40; // far more than threads and queue places together
        openSlow(count);
        Thread.sleep(500);
        // requests being read hold no thread: a thread parses each trickled byte and is free
        // again, so one look may catch a few at it; a request holding its thread would show in
        // every look (all request threads busy), so the typical look is what must stay low
        List<Integer> busy = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            busy.add((Integer) viewer.status().get("httpBusyThreads"));
            Thread.sleep(50);
        }
        List<Integer> sorted = new ArrayList<>(busy);
        sorted.sort(null);
        assertThat(sorted.get(sorted.size() / 2))
                .as("median threads busy while %d slow clients trickle, looks %s", count, busy)
                .isLessThanOrEqualTo(ViewerHttp.OWN_THREADS);
        assertThat((Integer) viewer.status().get("connections")).isGreaterThanOrEqualTo(count);

        long t0 = System.nanoTime();
        TestCameras.Response page = page();
        long pageMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf(
                "slow-loris: flood of %d slow clients: the page came in %d ms%n", count, pageMs);
        assertThat(page.status()).isEqualTo(200);
        assertThat(pageMs).as("ms until the page came").isLessThan(PAGE_MS);

        awaitSlowClosed();
        assertThat(sampler.max.get())
                .as("viewer HTTP threads at most (bound %d)", THREAD_BOUND)
                .isLessThanOrEqualTo(THREAD_BOUND);
        assertThat((Long) viewer.status().get("requestsCut")).isGreaterThanOrEqualTo(count);
    }

    private void openSlow(int n) throws IOException {
        for (int i = 0; i < n; i++) {
            slow.add(new SlowClient(viewer.port(), slow.size()));
        }
    }

    /** Every slow socket is closed by the server within the request timeout (and some slack). */
    private void awaitSlowClosed() throws InterruptedException {
        long limit = TIMEOUT_S * 1000L + CLOSE_SLACK_MS;
        waitUntil(
                () -> slow.stream().allMatch(c -> c.closed() || c.openMillis() > limit + 1000),
                limit + 3000,
                "slow sockets closed or overdue");
        long longest = slow.stream().mapToLong(SlowClient::openMillis).max().orElse(0);
        long open = slow.stream().filter(c -> !c.closed()).count();
        System.out.printf(
                "slow-loris: %d slow sockets, %d still open, longest open %d ms (request timeout"
                        + " %d s)%n",
                slow.size(), open, longest, TIMEOUT_S);
        assertThat(open).as("slow sockets the server left open").isZero();
        assertThat(longest).as("longest a slow socket stayed open, ms").isLessThanOrEqualTo(limit);
    }

    private TestCameras.Response page() throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", viewer.port()), 5000);
            s.setSoTimeout(TIMEOUT_S * 1000 + 5000);
            String req =
                    "GET /?token="
                            + TOKEN
                            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
            s.getOutputStream().write(req.getBytes(StandardCharsets.ISO_8859_1));
            String text =
                    new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            if (text.length() < 12) {
                throw new IOException("closed without an answer");
            }
            int split = text.indexOf("\r\n\r\n");
            String head = split < 0 ? text : text.substring(0, split);
            String body = split < 0 ? "" : text.substring(split + 4);
            return new TestCameras.Response(Integer.parseInt(head.substring(9, 12)), head, body);
        }
    }

    private static void waitUntil(BooleanSupplier condition, long timeoutMs, String what)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(what + ": not within " + timeoutMs + " ms");
            }
            Thread.sleep(20);
        }
    }
}
