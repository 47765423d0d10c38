package io.frameflow.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MjpegStreamsTest {

    /** An output that takes bytes until {@code limit}, then blocks like a full socket. */
    private static final class StallingOutput extends OutputStream {
        private final int limit;
        private int written;
        final CountDownLatch stalled = new CountDownLatch(1);

        StallingOutput(int limit) {
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (written + len > limit) {
                stalled.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    throw new InterruptedIOException("cut");
                }
            }
            written += len;
        }
    }

    /** Collects everything and can be read while the stream runs. */
    private static final class Collecting extends OutputStream {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            buf.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            buf.write(b, off, len);
        }

        synchronized String text() {
            return buf.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void writesEachFrameAsACompleteMultipartPart() throws Exception {
        LatestFrame holder = new LatestFrame();
        MjpegStreams streams = new MjpegStreams(4, 30, TimeUnit.SECONDS);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Collecting out = new Collecting();
        try {
            assertThat(streams.tryOpen()).isTrue();
            Future<?> serving =
                    pool.submit(
                            () -> {
                                streams.serve(holder, out);
                                return null;
                            });
            holder.publish("JPEG-ONE".getBytes(StandardCharsets.ISO_8859_1), 100, 1, "m");
            waitFor(() -> out.text().contains("JPEG-ONE"));
            holder.publish("JPEG-TWO!".getBytes(StandardCharsets.ISO_8859_1), 200, 2, "m");
            waitFor(() -> out.text().contains("JPEG-TWO!"));
            String expected =
                    "--frameflowframe\r\n"
                            + "Content-Type: image/jpeg\r\nContent-Length: 8\r\n"
                            + "X-Timestamp: 100\r\nX-Seq: 1\r\n\r\nJPEG-ONE"
                            + "\r\n--frameflowframe\r\n"
                            + "Content-Type: image/jpeg\r\nContent-Length: 9\r\n"
                            + "X-Timestamp: 200\r\nX-Seq: 2\r\n\r\nJPEG-TWO!"
                            + "\r\n--frameflowframe\r\n";
            assertThat(out.text()).isEqualTo(expected);
            assertThat(streams.active()).isEqualTo(1);
            streams.close();
            serving.get(5, TimeUnit.SECONDS);
            assertThat(streams.active()).isZero();
        } finally {
            streams.close();
            pool.shutdownNow();
        }
    }

    @Test
    void aStalledClientIsCutAndDoesNotHoldUpAnotherOne() throws Exception {
        LatestFrame holder = new LatestFrame();
        MjpegStreams streams = new MjpegStreams(2, 1, TimeUnit.SECONDS);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        StallingOutput stuck = new StallingOutput(100);
        Collecting healthy = new Collecting();
        try {
            assertThat(streams.tryOpen()).isTrue();
            assertThat(streams.tryOpen()).isTrue();
            assertThat(streams.tryOpen()).as("--max-streams is 2").isFalse();
            Future<?> stuckDone =
                    pool.submit(
                            () -> {
                                streams.serve(holder, stuck);
                                return null;
                            });
            pool.submit(
                    () -> {
                        streams.serve(holder, healthy);
                        return null;
                    });
            byte[] big = new byte[1000];
            holder.publish(big, 1, 1, null);
            assertThat(stuck.stalled.await(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 2; i <= 20; i++) {
                holder.publish(
                        ("frame-" + i + ";").getBytes(StandardCharsets.US_ASCII), i, i, null);
                int n = i;
                waitFor(() -> healthy.text().contains("frame-" + n + ";"));
            }
            // the watchdog cuts the stalled write after ~1 s and frees its slot
            try {
                stuckDone.get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(InterruptedIOException.class);
            }
            assertThat(streams.stalledCut()).isEqualTo(1);
            assertThat(streams.active()).isEqualTo(1);
            assertThat(streams.tryOpen()).as("the cut stream's slot is free again").isTrue();
        } finally {
            streams.close();
            pool.shutdownNow();
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(5);
        }
    }

    /**
     * Issue 15, fault 8: a client gone before its response headers went out must give its slot
     * back; before, every such failure kept one until all streams answered 503.
     */
    @Test
    void aStreamWhoseStartFailsGivesItsSlotBack() throws Exception {
        MjpegStreams streams = new MjpegStreams(2, 30, TimeUnit.SECONDS);
        try {
            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(
                                () ->
                                        streams.serve(
                                                new LatestFrame(),
                                                () -> {
                                                    throw new java.io.IOException("Broken pipe");
                                                }))
                        .hasMessage("Broken pipe");
            }
            assertThat(streams.tryOpen()).as("first slot free").isTrue();
            assertThat(streams.tryOpen()).as("second slot free").isTrue();
            assertThat(streams.tryOpen()).as("no third slot").isFalse();
        } finally {
            streams.close();
        }
    }
}
