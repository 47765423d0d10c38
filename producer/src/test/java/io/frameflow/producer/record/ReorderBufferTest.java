package io.frameflow.producer.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ReorderBufferTest {

    private static final long T0 = 1_763_000_000_000L;
    private static final long FRAME_MS = 40;

    /**
     * Adds frames seq (capture time T0 + seq * 40 ms) in the given order; returns what came out.
     */
    private static List<Long> feed(ReorderBuffer<Long> b, List<Long> seqs) {
        List<Long> out = new ArrayList<>();
        for (long seq : seqs) {
            out.addAll(b.add(seq, T0 + seq * FRAME_MS, seq));
        }
        out.addAll(b.flush());
        return out;
    }

    private static List<Long> range(long from, long to) {
        return LongStream.range(from, to).boxed().collect(Collectors.toList());
    }

    /** 0..n-1 shuffled the way parallel inference does: each frame moved at most d places. */
    static List<Long> shuffled(int n, int d, long seed) {
        Random random = new Random(seed);
        List<Long> seqs = range(0, n);
        List<double[]> keyed = new ArrayList<>();
        for (long s : seqs) {
            keyed.add(new double[] {s + random.nextDouble() * d, s});
        }
        keyed.sort((a, b) -> Double.compare(a[0], b[0]));
        List<Long> out = new ArrayList<>();
        keyed.forEach(k -> out.add((long) k[1]));
        return out;
    }

    @Test
    void shuffledFramesComeOutInCaptureOrder() {
        for (long seed = 1; seed <= 20; seed++) {
            List<Long> in = shuffled(500, 20, seed);
            assertThat(in).isNotEqualTo(range(0, 500));
            ReorderBuffer<Long> b = new ReorderBuffer<>(32, 5_000);
            assertThat(feed(b, in)).containsExactlyElementsOf(range(0, 500));
            assertThat(b.late()).isZero();
            assertThat(b.duplicates()).isZero();
            assertThat(b.written()).isEqualTo(500);
            assertThat(b.outOfOrder()).isPositive();
            assertThat(b.maxHeld()).isLessThanOrEqualTo(33);
        }
    }

    @Test
    void framesInOrderPassStraightThrough() {
        ReorderBuffer<Long> b = new ReorderBuffer<>(100, 60_000);
        // the first frame waits: nothing says yet that no earlier one is on its way
        assertThat(b.add(0, T0, 0L)).isEmpty();
        assertThat(b.add(1, T0 + 40, 1L)).isEmpty();
        // a frame that lies a reorder bound behind the newest is written with its successors
        ReorderBuffer<Long> c = new ReorderBuffer<>(1, 60_000);
        assertThat(c.add(0, T0, 0L)).isEmpty();
        assertThat(c.add(1, T0 + 40, 1L)).containsExactly(0L, 1L);
        for (long seq = 2; seq < 50; seq++) {
            assertThat(c.add(seq, T0 + seq * 40, seq)).containsExactly(seq);
            assertThat(c.held()).isZero();
        }
        assertThat(c.outOfOrder()).isZero();
    }

    @Test
    void gapsAreWaitedForOnlyUpToTheBounds() {
        // seq 3 and 7..9 never come (dropped by the job); seq 5 comes late but within the bound
        List<Long> in = new ArrayList<>(List.of(0L, 1L, 2L, 4L, 6L, 5L));
        in.addAll(range(10, 30));
        ReorderBuffer<Long> b = new ReorderBuffer<>(4, 60_000);
        List<Long> out = new ArrayList<>();
        for (long seq : in) {
            out.addAll(b.add(seq, T0 + seq * FRAME_MS, seq));
            assertThat(b.held()).isLessThanOrEqualTo(4);
        }
        // all out before the end: the frame bound let go of each gap, then successors flow through
        List<Long> expected = new ArrayList<>(List.of(0L, 1L, 2L, 4L, 5L, 6L));
        expected.addAll(range(10, 30));
        assertThat(out).containsExactlyElementsOf(expected);
        assertThat(b.held()).isZero();
        assertThat(b.late()).isZero();
        assertThat(b.flush()).isEmpty();
    }

    @Test
    void theEndFlushesWhatIsHeldInOrder() {
        ReorderBuffer<Long> b = new ReorderBuffer<>(100, 60_000);
        List<Long> out = new ArrayList<>();
        for (long seq : List.of(5L, 3L, 9L, 4L, 8L)) {
            out.addAll(b.add(seq, T0 + seq * FRAME_MS, seq));
        }
        assertThat(out).isEmpty();
        assertThat(b.held()).isEqualTo(5);
        assertThat(b.flush()).containsExactly(3L, 4L, 5L, 8L, 9L);
        assertThat(b.held()).isZero();
        assertThat(b.flush()).isEmpty();
    }

    @Test
    void aFrameAfterALaterWrittenOneIsDroppedAndCounted() {
        ReorderBuffer<Long> b = new ReorderBuffer<>(3, 60_000);
        List<Long> in = new ArrayList<>(range(0, 20));
        in.remove(Long.valueOf(5));
        in.add(12, 5L); // seq 5 arrives after 6..12: seven later frames, more than 3
        List<Long> out = feed(b, in);
        List<Long> expected = range(0, 20);
        expected.remove(Long.valueOf(5));
        assertThat(out).containsExactlyElementsOf(expected);
        assertThat(b.late()).isEqualTo(1);
        assertThat(b.written()).isEqualTo(19);

        // the same frame within the bound is put back in place
        ReorderBuffer<Long> wide = new ReorderBuffer<>(8, 60_000);
        assertThat(feed(wide, in)).containsExactlyElementsOf(range(0, 20));
        assertThat(wide.late()).isZero();
        assertThat(wide.outOfOrder()).isEqualTo(1);
    }

    @Test
    void theTimeBoundWritesAFrameOnceOneCapturedLaterThanThatHasArrived() {
        ReorderBuffer<Long> b = new ReorderBuffer<>(1000, 200);
        assertThat(b.add(0, T0, 0L)).isEmpty();
        assertThat(b.add(2, T0 + 80, 2L)).isEmpty();
        assertThat(b.add(5, T0 + 200, 5L)).isEmpty(); // exactly 200 ms later: not more
        assertThat(b.add(6, T0 + 240, 6L)).containsExactly(0L); // 240 ms after seq 0
        // seq 1 is still in time: 2 is held and 1 goes before it
        assertThat(b.add(1, T0 + 40, 1L)).containsExactly(1L, 2L);
        assertThat(b.add(12, T0 + 480, 12L)).containsExactly(5L, 6L);
        // seq 3 was captured 440 ms before seq 12, which came first: 5 and 6 are written, 3 is late
        assertThat(b.add(3, T0 + 120, 3L)).isEmpty();
        assertThat(b.late()).isEqualTo(1);
        assertThat(b.flush()).containsExactly(12L);
    }

    @Test
    void repeatedFramesAreWrittenOnce() {
        ReorderBuffer<Long> b = new ReorderBuffer<>(4, 60_000);
        List<Long> in = new ArrayList<>(range(0, 10));
        in.add(3, 2L); // 2 while still held
        in.addAll(range(4, 8)); // a replay of 4..7 after they were written
        assertThat(feed(b, in)).containsExactlyElementsOf(range(0, 10));
        assertThat(b.duplicates()).isEqualTo(5);
        assertThat(b.late()).isZero();
    }

    @Test
    void aSeqCountingAgainWhileTimeGoesOnIsANewRunNotLateFrames() {
        // the producer restarted: seq 0.. again, captured after the first run
        ReorderBuffer<Long> b = new ReorderBuffer<>(5, 60_000);
        List<Long> out = new ArrayList<>();
        for (long seq : shuffled(40, 4, 7)) {
            out.addAll(b.add(seq, T0 + seq * FRAME_MS, seq));
        }
        long later = T0 + 60_000;
        for (long seq : shuffled(30, 4, 8)) {
            out.addAll(b.add(seq, later + seq * FRAME_MS, 1000 + seq));
        }
        out.addAll(b.flush());
        List<Long> expected = range(0, 40);
        range(1000, 1030).forEach(expected::add);
        assertThat(out).containsExactlyElementsOf(expected);
        assertThat(b.late()).isZero();
        assertThat(b.restarts()).isEqualTo(1);

        // also while the first run is still held, nothing of it written yet
        ReorderBuffer<Long> early = new ReorderBuffer<>(100, 60_000);
        List<Long> got = new ArrayList<>();
        for (long seq : List.of(2L, 0L, 1L, 3L)) {
            got.addAll(early.add(seq, T0 + seq * FRAME_MS, seq));
        }
        for (long seq : List.of(1L, 0L, 2L)) {
            got.addAll(early.add(seq, later + seq * FRAME_MS, 1000 + seq));
        }
        got.addAll(early.flush());
        assertThat(got).containsExactly(0L, 1L, 2L, 3L, 1000L, 1001L, 1002L);
        assertThat(early.restarts()).isEqualTo(1);
    }

    @Test
    void withoutSeqTheCaptureTimeOrdersAndAClockSetBackStartsAgain() {
        ReorderBuffer<Long> b = new ReorderBuffer<>(4, 60_000);
        List<Long> out = new ArrayList<>();
        for (long i : shuffled(30, 3, 3)) {
            out.addAll(b.add(-1, T0 + i * FRAME_MS, i));
        }
        // two frames captured in the same millisecond keep their arrival order
        out.addAll(b.add(-1, T0 + 30 * FRAME_MS, 30L));
        out.addAll(b.add(-1, T0 + 30 * FRAME_MS, 31L));
        // a frame captured 80 ms before the last written one is late
        assertThat(b.add(-1, T0 + 24 * FRAME_MS - 1, 99L)).isEmpty();
        assertThat(b.late()).isEqualTo(1);
        // the clock is set back an hour: a new segment, not an hour of late frames
        long back = T0 - 3_600_000;
        for (long i = 0; i < 10; i++) {
            out.addAll(b.add(-1, back + i * FRAME_MS, 100 + i));
        }
        out.addAll(b.flush());
        List<Long> expected = range(0, 32);
        range(100, 110).forEach(expected::add);
        assertThat(out).containsExactlyElementsOf(expected);
        assertThat(b.restarts()).isEqualTo(1);
        assertThat(b.late()).isEqualTo(1);
    }

    @Test
    void aFrameWithoutSeqAmongFramesWithOneCannotBePlaced() {
        ReorderBuffer<Long> b = new ReorderBuffer<>(4, 60_000);
        b.add(0, T0, 0L);
        assertThat(b.add(-1, T0 + 40, 1L)).isEmpty();
        assertThat(b.withoutSeq()).isEqualTo(1);
        assertThat(b.flush()).containsExactly(0L);
    }

    @Test
    void zeroFramesMeansNoReorderingAndEveryFrameOutOfOrderIsLate() {
        ReorderBuffer<Long> b = new ReorderBuffer<>(0, 60_000);
        List<Long> in = List.of(0L, 2L, 1L, 3L, 5L, 4L);
        assertThat(feed(b, in)).containsExactly(0L, 2L, 3L, 5L);
        assertThat(b.late()).isEqualTo(2);
        assertThatThrownBy(() -> new ReorderBuffer<Long>(-1, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anyShuffleComesOutSortedOrExplicitlyCounted() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            int n = 1 + random.nextInt(200);
            List<Long> in = range(0, n);
            Collections.shuffle(in, random);
            ReorderBuffer<Long> b = new ReorderBuffer<>(random.nextInt(20), random.nextInt(2000));
            List<Long> out = feed(b, in);
            assertThat(out).isSorted().doesNotHaveDuplicates();
            assertThat(out.size() + b.late()).isEqualTo(n);
        }
    }
}
