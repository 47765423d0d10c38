package io.frameflow.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The HTTP threads without a server: an exchange stands in as a task that sleeps where the real one
 * would block on its socket (an interrupt ends both).
 */
class HttpThreadsTest {

    /** Sleeps up to {@code ms} after {@code before}; completes with the ms slept, -1 if not cut. */
    private static Runnable blocked(Runnable before, long ms, CompletableFuture<Long> cutAfter) {
        return () -> {
            long t0 = System.nanoTime();
            before.run();
            try {
                Thread.sleep(ms);
                cutAfter.complete(-1L);
            } catch (InterruptedException e) {
                cutAfter.complete((System.nanoTime() - t0) / 1_000_000);
            }
        };
    }

    @Test
    void aRequestStillBeingReadAtTheTimeoutIsCut() throws Exception {
        try (HttpThreads threads = new HttpThreads(2, 300, 60_000, TimeUnit.MILLISECONDS)) {
            CompletableFuture<Long> cut = new CompletableFuture<>();
            threads.execute(blocked(() -> {}, 10_000, cut));
            assertThat(cut.get(5, TimeUnit.SECONDS)).isBetween(250L, 2000L);
            assertThat(threads.requestsCut()).isEqualTo(1);
        }
    }

    @Test
    void anAnswerIsCutAtTheResponseTimeoutButAVideoStreamIsNot() throws Exception {
        try (HttpThreads threads = new HttpThreads(4, 60_000, 300, TimeUnit.MILLISECONDS)) {
            CompletableFuture<Long> answer = new CompletableFuture<>();
            CompletableFuture<Long> stream = new CompletableFuture<>();
            threads.execute(blocked(threads::requestRead, 10_000, answer));
            threads.execute(
                    blocked(
                            () -> {
                                threads.requestRead();
                                threads.streaming();
                            },
                            1500,
                            stream));
            assertThat(answer.get(5, TimeUnit.SECONDS)).isBetween(250L, 2000L);
            assertThat(stream.get(5, TimeUnit.SECONDS)).as("stream not cut").isEqualTo(-1L);
            assertThat(threads.responsesCut()).isEqualTo(1);
            assertThat(threads.requestsCut()).isZero();
        }
    }

    @Test
    void whileRequestsWaitASlowReaderIsCutAfterASecond() throws Exception {
        try (HttpThreads threads = new HttpThreads(1, 60_000, 60_000, TimeUnit.MILLISECONDS)) {
            CompletableFuture<Long> slow = new CompletableFuture<>();
            CompletableFuture<Long> next = new CompletableFuture<>();
            threads.execute(blocked(() -> {}, 10_000, slow));
            threads.execute(blocked(threads::requestRead, 10, next));
            assertThat(slow.get(5, TimeUnit.SECONDS))
                    .isBetween(HttpThreads.PRESSURE_READ_MILLIS - 50, 3000L);
            assertThat(next.get(5, TimeUnit.SECONDS)).isEqualTo(-1L);
        }
    }

    @Test
    void aRequestThatWaitedPastTheTimeoutInTheQueueIsClosedAtOnce() throws Exception {
        try (HttpThreads threads = new HttpThreads(1, 400, 60_000, TimeUnit.MILLISECONDS)) {
            CountDownLatch release = new CountDownLatch(1);
            threads.execute(
                    () -> {
                        threads.requestRead();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            // cut
                        }
                    });
            CompletableFuture<Long> queued = new CompletableFuture<>();
            threads.execute(blocked(() -> {}, 10_000, queued));
            Thread.sleep(600);
            release.countDown();
            assertThat(queued.get(5, TimeUnit.SECONDS)).isBetween(0L, 200L);
            assertThat(threads.requestsCut()).isEqualTo(1);
        }
    }

    @Test
    void threadsAndQueueAreBoundedThenBusyThreadsRefuseThenConnectionsAreClosed() throws Exception {
        try (HttpThreads threads = new HttpThreads(2, 60_000, 60_000, TimeUnit.MILLISECONDS)) {
            CountDownLatch release = new CountDownLatch(1);
            List<CompletableFuture<Boolean>> refusing = new ArrayList<>();
            int tasks = 2 + 2 + HttpThreads.BUSY_THREADS; // threads, queue places, busy threads
            for (int i = 0; i < tasks; i++) {
                CompletableFuture<Boolean> r = new CompletableFuture<>();
                refusing.add(r);
                threads.execute(
                        () -> {
                            threads.requestRead();
                            r.complete(threads.refusing());
                            try {
                                release.await();
                            } catch (InterruptedException e) {
                                // closing
                            }
                        });
            }
            assertThatThrownBy(() -> threads.execute(() -> {}))
                    .isInstanceOf(RejectedExecutionException.class);
            assertThat(threads.threads()).isEqualTo(2 + HttpThreads.BUSY_THREADS);
            for (int i = 0; i < 2; i++) {
                assertThat(refusing.get(i).get(5, TimeUnit.SECONDS)).isFalse();
            }
            for (int i = 4; i < tasks; i++) {
                assertThat(refusing.get(i).get(5, TimeUnit.SECONDS))
                        .as("task %d ran on a busy thread", i)
                        .isTrue();
            }
            assertThat(threads.refused()).isEqualTo(HttpThreads.BUSY_THREADS + 1);
            release.countDown();
            // the queued two run on the bounded threads once those are free, not refused
            for (int i = 2; i < 4; i++) {
                assertThat(refusing.get(i).get(5, TimeUnit.SECONDS)).isFalse();
            }
            assertThat(threads.threads()).isLessThanOrEqualTo(2 + HttpThreads.BUSY_THREADS);
        }
    }
}
