package io.frameflow.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LatestFrameTest {

    private static byte[] jpeg(int n) {
        return new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) n};
    }

    @Test
    void emptyHolderHasNoFrameAndTimesOut() throws Exception {
        LatestFrame holder = new LatestFrame();
        assertThat(holder.latest()).isNull();
        assertThat(holder.awaitNewer(-1, 20, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void keepsTheBytesAndHeadersAsGiven() throws Exception {
        LatestFrame holder = new LatestFrame();
        byte[] bytes = jpeg(7);
        holder.publish(bytes, 1234L, 42L, "yolov8n");
        LatestFrame.Frame f = holder.awaitNewer(-1, 1, TimeUnit.SECONDS);
        assertThat(f.jpeg()).isSameAs(bytes);
        assertThat(f.timestamp()).isEqualTo(1234L);
        assertThat(f.seq()).isEqualTo(42L);
        assertThat(f.model()).isEqualTo("yolov8n");
        assertThat(f.version()).isEqualTo(1);
    }

    @Test
    void aViewerThatFellBehindGetsOnlyTheNewestFrame() throws Exception {
        LatestFrame holder = new LatestFrame();
        LatestFrame.Frame first = holder.publish(jpeg(1), 1, 1, null);
        for (int i = 2; i <= 5; i++) {
            holder.publish(jpeg(i), i, i, null);
        }
        LatestFrame.Frame next = holder.awaitNewer(first.version(), 1, TimeUnit.SECONDS);
        assertThat(next.seq()).isEqualTo(5);
        assertThat(next.jpeg()[2]).isEqualTo((byte) 5);
        // nothing newer than what it now has: it waits rather than getting frames 2..4
        assertThat(holder.awaitNewer(next.version(), 20, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aWaitingViewerIsWokenByTheNextFrame() throws Exception {
        LatestFrame holder = new LatestFrame();
        LatestFrame.Frame seen = holder.publish(jpeg(1), 1, 1, "m");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch waiting = new CountDownLatch(1);
            Future<LatestFrame.Frame> got =
                    pool.submit(
                            () -> {
                                waiting.countDown();
                                return holder.awaitNewer(seen.version(), 10, TimeUnit.SECONDS);
                            });
            waiting.await();
            Thread.sleep(50);
            holder.publish(jpeg(2), 2, 2, "m");
            assertThat(got.get(5, TimeUnit.SECONDS).seq()).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void publishingNeverWaitsForViewersThatDoNotComeBack() throws Exception {
        LatestFrame holder = new LatestFrame();
        int viewers = 20;
        ExecutorService pool = Executors.newFixedThreadPool(viewers);
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch gotOne = new CountDownLatch(viewers);
        try {
            for (int i = 0; i < viewers; i++) {
                pool.submit(
                        () -> {
                            holder.awaitNewer(-1, 10, TimeUnit.SECONDS);
                            gotOne.countDown();
                            never.await(); // a viewer stuck writing forever
                            return null;
                        });
            }
            holder.publish(jpeg(0), 0, 0, null);
            assertThat(gotOne.await(5, TimeUnit.SECONDS)).isTrue();
            // 20 000 more frames go through while every viewer is stuck.
            Thread publisher =
                    new Thread(
                            () -> {
                                for (int i = 1; i <= 20_000; i++) {
                                    holder.publish(jpeg(i), i, i, null);
                                }
                            });
            publisher.start();
            publisher.join(10_000);
            assertThat(publisher.isAlive()).isFalse();
            assertThat(holder.latest().seq()).isEqualTo(20_000);
            assertThat(holder.latest().version()).isEqualTo(20_001);
        } finally {
            never.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void manyViewersEachSeeTheNewestFrame() throws Exception {
        LatestFrame holder = new LatestFrame();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<LatestFrame.Frame>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> holder.awaitNewer(0, 10, TimeUnit.SECONDS)));
            }
            holder.publish(jpeg(1), 1, 1, null);
            for (Future<LatestFrame.Frame> r : results) {
                assertThat(r.get(5, TimeUnit.SECONDS).version()).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anInterruptedViewerStopsWaiting() {
        LatestFrame holder = new LatestFrame();
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> holder.awaitNewer(-1, 10, TimeUnit.SECONDS))
                .isInstanceOf(InterruptedException.class);
    }

    @Test
    void nullBytesAreRefused() {
        assertThatThrownBy(() -> new LatestFrame().publish(null, 0, 0, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Issue 15, fault 6: the job infers a camera's frames in parallel and writes them a little out
     * of order; the picture must not step back to an older frame. A frame far older is a clock that
     * was set back, and is shown.
     */
    @Test
    void aFrameCapturedBeforeTheShownOneIsSkippedUnlessTheClockWasSetBack() {
        LatestFrame holder = new LatestFrame();
        holder.publish(jpeg(1), 10_000, 10, null);
        assertThat(holder.publish(jpeg(2), 9_900, 9, null).seq()).isEqualTo(10);
        assertThat(holder.publish(jpeg(3), 10_000, 8, null).seq()).isEqualTo(10);
        assertThat(holder.latest().seq()).isEqualTo(10);
        assertThat(holder.publish(jpeg(4), 10_100, 11, null).seq()).isEqualTo(11);
        long reset = 10_100 - LatestFrame.REORDER_WINDOW_MS - 1;
        assertThat(holder.publish(jpeg(5), reset, 0, null).seq())
                .as("a clock set back is followed")
                .isEqualTo(0);
    }
}
