package io.frameflow.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.testkit.EmbeddedKafkaBroker;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

/**
 * One viewer opens the MJPEG stream and never reads; a second one reads normally. The first must
 * not raise the heap (measured after GC) nor delay the second one's frames, and is cut once it has
 * stalled longer than the stall timeout.
 */
class SlowClientITCase {

    private static final String ANNOTATED = "slow-annotated";
    private static final String STATS = "slow-stats";
    private static final String CAMERA = "busy-cam";
    private static final int FPS = 25;
    private static final int STALL_TIMEOUT_S = 12;

    /** Reads an MJPEG stream part by part and notes when each frame arrived. */
    private static final class Reader implements AutoCloseable {
        private final Socket socket = new Socket();
        private final List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
        private final Thread thread;
        private volatile long bytes;

        Reader(int port) throws IOException {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.getOutputStream().write(request(port).getBytes(StandardCharsets.ISO_8859_1));
            thread = new Thread(this::read, "test-reader");
            thread.setDaemon(true);
            thread.start();
        }

        private void read() {
            try {
                DataInputStream in = new DataInputStream(socket.getInputStream());
                String status = line(in);
                if (!status.startsWith("HTTP/1.1 200")) {
                    throw new IllegalStateException(status);
                }
                // Chunked transfer coding around multipart parts: we only need to find each
                // part's Content-Length and skip that many bytes of the de-chunked body.
                InputStream body = new Dechunker(in);
                DataInputStream parts = new DataInputStream(body);
                while (true) {
                    String l = line(parts);
                    if (l.startsWith("Content-Length: ")) {
                        int len = Integer.parseInt(l.substring(16).trim());
                        line(parts); // X-Timestamp
                        line(parts); // X-Seq
                        line(parts); // blank
                        parts.readFully(new byte[len]);
                        bytes += len;
                        arrivals.add(System.nanoTime());
                    }
                }
            } catch (IOException | RuntimeException e) {
                // closed
            }
        }

        List<Long> arrivalsBetween(long from, long to) {
            List<Long> out = new ArrayList<>();
            synchronized (arrivals) {
                for (long t : arrivals) {
                    if (t >= from && t < to) {
                        out.add(t);
                    }
                }
            }
            return out;
        }

        @Override
        public void close() throws Exception {
            socket.close();
            thread.join(3000);
        }
    }

    /** Strips HTTP chunked framing after the response headers. */
    private static final class Dechunker extends InputStream {
        private final DataInputStream in;
        private int left;
        private boolean headersDone;

        Dechunker(DataInputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (!headersDone) {
                while (!line(in).isEmpty()) {
                    // response headers
                }
                headersDone = true;
            }
            if (left == 0) {
                String size = line(in);
                if (size.isEmpty()) {
                    size = line(in); // CRLF after the previous chunk
                }
                left = Integer.parseInt(size.trim(), 16);
                if (left == 0) {
                    return -1;
                }
            }
            int n = in.read(b, off, Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        if (c < 0 && sb.length() == 0) {
            throw new IOException("end of stream");
        }
        return sb.toString();
    }

    private static String request(int port) {
        return "GET /stream/" + CAMERA + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n";
    }

    private static long heapAfterGc() throws InterruptedException {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
            min = Math.min(min, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return min;
    }

    private record Gaps(int frames, double p50, double p99, double max) {
        static Gaps of(List<Long> arrivals) {
            List<Double> gaps = new ArrayList<>();
            for (int i = 1; i < arrivals.size(); i++) {
                gaps.add((arrivals.get(i) - arrivals.get(i - 1)) / 1e6);
            }
            Collections.sort(gaps);
            if (gaps.isEmpty()) {
                return new Gaps(arrivals.size(), 0, 0, Double.MAX_VALUE);
            }
            return new Gaps(
                    arrivals.size(),
                    gaps.get(gaps.size() / 2),
                    gaps.get(Math.min(gaps.size() - 1, (int) (gaps.size() * 0.99))),
                    gaps.get(gaps.size() - 1));
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "%d frames, gap p50 %.0f ms, p99 %.0f ms, max %.0f ms",
                    frames,
                    p50,
                    p99,
                    max);
        }
    }

    @Test
    void aViewerThatNeverReadsCostsNeitherMemoryNorOtherViewersTheirFrames() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.shared();
        broker.createTopics(1, ANNOTATED, STATS);
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            frames.add(TestCameras.noiseFrame(960, 540, i));
        }
        long frameBytes = frames.stream().mapToLong(f -> f.length).sum() / frames.size();
        try (Viewer viewer =
                        Viewer.start(
                                ViewerOptions.defaults(broker.bootstrapServers())
                                        .withPort(0)
                                        .withTopics(ANNOTATED, STATS)
                                        .withStallTimeout(STALL_TIMEOUT_S));
                KafkaProducer<byte[], byte[]> producer =
                        TestCameras.producer(broker.bootstrapServers());
                TestCameras.Camera camera =
                        new TestCameras.Camera(
                                producer,
                                ANNOTATED,
                                CAMERA,
                                FPS,
                                n -> frames.get((int) (n % frames.size())))) {
            waitUntil(() -> viewer.cameras().get(CAMERA).isPresent(), 20_000);
            try (Reader healthy = new Reader(viewer.port())) {
                waitUntil(() -> healthy.arrivals.size() > 10, 20_000);

                // baseline: the healthy viewer alone
                long heapBefore = heapAfterGc();
                long t0 = System.nanoTime();
                Thread.sleep(6000);
                long t1 = System.nanoTime();
                Gaps alone = Gaps.of(healthy.arrivalsBetween(t0, t1));

                // a second viewer connects and never reads a byte
                try (Socket stuck = new Socket()) {
                    stuck.setReceiveBufferSize(4096);
                    stuck.connect(new InetSocketAddress("127.0.0.1", viewer.port()), 5000);
                    stuck.getOutputStream()
                            .write(request(viewer.port()).getBytes(StandardCharsets.ISO_8859_1));
                    waitUntil(() -> viewer.activeStreams() == 2, 10_000);
                    long published0 = camera.published();
                    long t2 = System.nanoTime();
                    Thread.sleep(8000);
                    long t3 = System.nanoTime();
                    long publishedWhileStuck = camera.published() - published0;
                    Gaps withStuck = Gaps.of(healthy.arrivalsBetween(t2, t3));
                    long heapAfter = heapAfterGc();
                    assertThat(viewer.activeStreams())
                            .as("the stuck viewer is still connected")
                            .isEqualTo(2);
                    assertThat(stuck.getInputStream().available())
                            .as("the server did start sending to the stuck viewer")
                            .isGreaterThan(0);

                    long pushedMb = publishedWhileStuck * frameBytes >> 20;
                    long growthMb = (heapAfter - heapBefore) >> 20;
                    System.out.printf(
                            Locale.ROOT,
                            "slow-client: frames of %d KB at %d fps; %d MB published while one"
                                    + " viewer did not read%n"
                                    + "slow-client: heap after GC %d MB -> %d MB (growth %d MB)%n"
                                    + "slow-client: healthy viewer alone:      %s%n"
                                    + "slow-client: healthy viewer with stuck: %s%n",
                            frameBytes >> 10,
                            FPS,
                            pushedMb,
                            heapBefore >> 20,
                            heapAfter >> 20,
                            growthMb,
                            alone,
                            withStuck);
                    assertThat(pushedMb)
                            .as("enough data flowed for a backlog to show")
                            .isGreaterThan(30);
                    assertThat(growthMb)
                            .as("heap growth while a viewer did not read")
                            .isLessThan(12);
                    assertThat(withStuck.frames())
                            .as("frames the healthy viewer got while the other one was stuck")
                            .isGreaterThanOrEqualTo((int) (alone.frames() * 0.8));
                    assertThat(withStuck.max())
                            .as("longest wait for a frame while the other viewer was stuck")
                            .isLessThan(Math.max(1000, alone.max() * 3));

                    // the stuck viewer is cut after the stall timeout; the healthy one goes on
                    waitUntil(
                            () -> viewer.stalledStreamsCut() == 1, (STALL_TIMEOUT_S + 10) * 1000L);
                    waitUntil(() -> viewer.activeStreams() == 1, 5000);
                    int before = healthy.arrivals.size();
                    waitUntil(() -> healthy.arrivals.size() > before + 10, 5000);
                }
            }
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, long timeoutMs)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met within " + timeoutMs + " ms");
            }
            Thread.sleep(50);
        }
    }
}
