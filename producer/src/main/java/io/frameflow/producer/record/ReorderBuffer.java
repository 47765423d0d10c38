package io.frameflow.producer.record;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Puts one camera's frames back into capture order before they are written. The job's inference
 * runs a camera's frames on several slots at once and emits each when it is done, so {@code
 * frames.annotated} carries them slightly out of order.
 *
 * <p>Order: by the {@code seq} header when the camera's first frame has one, else by capture time
 * (ties in arrival order). A frame is held until it can be written in order: at once when it is the
 * direct successor ({@code seq + 1}) of the last frame written, else when more than {@code
 * maxFrames} frames are held or when a frame captured more than {@code maxSpanMillis} after it has
 * arrived. So a frame that arrives after at most {@code maxFrames} later frames, none captured more
 * than {@code maxSpanMillis} after it, is put back in place; one that comes after a later frame was
 * already written is <em>late</em>: dropped and counted, never written out of order.
 *
 * <p>Also counted and dropped: a frame whose {@code seq} was written before or is held already
 * (<em>duplicate</em>), and, when ordering by {@code seq}, a frame without one. A {@code seq} that
 * goes back while the capture time goes forward (against the newest frame) is a producer that
 * started counting again (a restart): what is held is written and ordering starts afresh from that
 * frame; without {@code seq} a frame captured more than {@value #CLOCK_STEP_BACK_MS} ms before the
 * newest one is taken as the camera's clock set back, with the same effect. {@link #flush()} writes
 * what is held at the end.
 *
 * @param <T> the frame
 */
public final class ReorderBuffer<T> {

    /** Without {@code seq}: a frame this much older than the last written one is a clock step. */
    static final long CLOCK_STEP_BACK_MS = 10_000;

    /** How much of a segment's {@code seq} range is remembered to tell duplicates (16 MiB). */
    private static final int MAX_REMEMBERED_SEQS = 1 << 27;

    private record Key(long position, long arrival) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Long.compare(position, o.position);
            return c != 0 ? c : Long.compare(arrival, o.arrival);
        }
    }

    private record Held<T>(long seq, long timestampMillis, T frame) {}

    private final int maxFrames;
    private final long maxSpanMillis;
    private final TreeMap<Key, Held<T>> held = new TreeMap<>();
    private Boolean bySeq;
    private long arrivals;

    // the current segment (one run of the producer's seq, one setting of the camera's clock)
    private Key front;
    private long frontTimestamp;
    private Key lastKey;
    private Held<T> last;
    private long writtenBase;
    private final BitSet writtenSeqs = new BitSet();

    private long written;
    private long outOfOrder;
    private long late;
    private long duplicates;
    private long withoutSeq;
    private long restarts;
    private int maxHeld;

    /**
     * @param maxFrames frames held at most (0: none, every frame is written or dropped at once)
     * @param maxSpanMillis capture-time span held at most
     */
    public ReorderBuffer(int maxFrames, long maxSpanMillis) {
        if (maxFrames < 0 || maxSpanMillis < 0) {
            throw new IllegalArgumentException(
                    "maxFrames and maxSpanMillis must be >= 0: "
                            + maxFrames
                            + ", "
                            + maxSpanMillis);
        }
        this.maxFrames = maxFrames;
        this.maxSpanMillis = maxSpanMillis;
    }

    /**
     * Adds a frame.
     *
     * @param seq its {@code seq} header, or -1 when it has none
     * @param timestampMillis its capture time
     * @return the frames that can now be written, in order (often none, or just this one)
     */
    public List<T> add(long seq, long timestampMillis, T frame) {
        List<T> out = new ArrayList<>();
        if (bySeq == null) {
            bySeq = seq >= 0;
        }
        if (bySeq && seq < 0) {
            withoutSeq++;
            return out;
        }
        long position = bySeq ? seq : timestampMillis;
        if (front != null && startsNewSegment(position, timestampMillis)) {
            restarts++;
            drain(out);
            newSegment();
        } else if (last != null && behindLast(position)) {
            if (bySeq && (position == last.seq || wasWritten(position))) {
                duplicates++;
            } else {
                late++;
            }
            return out;
        }
        Key key = new Key(position, bySeq ? 0 : arrivals++);
        if (held.containsKey(key)) {
            duplicates++;
            return out;
        }
        held.put(key, new Held<>(seq, timestampMillis, frame));
        maxHeld = Math.max(maxHeld, held.size());
        if (front == null || key.compareTo(front) > 0) {
            front = key;
            frontTimestamp = timestampMillis;
        } else {
            outOfOrder++;
        }
        release(out);
        return out;
    }

    /** Everything still held, in order (at the end of the recording). */
    public List<T> flush() {
        List<T> out = new ArrayList<>();
        drain(out);
        return out;
    }

    private boolean behindLast(long position) {
        return bySeq ? position <= lastKey.position() : position < lastKey.position();
    }

    /**
     * Compared with the newest frame: a seq counting again from a lower number while the capture
     * time goes on (the producer restarted), or without seq a capture time far back (the clock set
     * back).
     */
    private boolean startsNewSegment(long position, long timestampMillis) {
        if (bySeq) {
            return position < front.position() && timestampMillis > frontTimestamp;
        }
        return frontTimestamp - timestampMillis > CLOCK_STEP_BACK_MS;
    }

    private void release(List<T> out) {
        while (!held.isEmpty()) {
            Map.Entry<Key, Held<T>> first = held.firstEntry();
            Held<T> h = first.getValue();
            boolean successor = bySeq && last != null && h.seq == last.seq + 1;
            boolean full = held.size() > maxFrames;
            boolean oldEnough = frontTimestamp - h.timestampMillis > maxSpanMillis;
            if (!successor && !full && !oldEnough) {
                return;
            }
            held.pollFirstEntry();
            write(first.getKey(), h, out);
        }
    }

    private void drain(List<T> out) {
        while (!held.isEmpty()) {
            Map.Entry<Key, Held<T>> first = held.pollFirstEntry();
            write(first.getKey(), first.getValue(), out);
        }
    }

    private void write(Key key, Held<T> h, List<T> out) {
        if (bySeq) {
            if (last == null) {
                writtenBase = h.seq;
            }
            long index = h.seq - writtenBase;
            if (index < MAX_REMEMBERED_SEQS) {
                writtenSeqs.set((int) index);
            }
        }
        last = h;
        lastKey = key;
        written++;
        out.add(h.frame);
    }

    private boolean wasWritten(long seq) {
        long index = seq - writtenBase;
        return index >= 0 && index < MAX_REMEMBERED_SEQS && writtenSeqs.get((int) index);
    }

    private void newSegment() {
        last = null;
        lastKey = null;
        front = null;
        writtenSeqs.clear();
    }

    /** Frames handed out to be written. */
    public long written() {
        return written;
    }

    /** Frames that arrived after a later one and were put back in place. */
    public long outOfOrder() {
        return outOfOrder;
    }

    /** Frames dropped because a later frame had been written already. */
    public long late() {
        return late;
    }

    /** Frames dropped because the same seq was written or held already. */
    public long duplicates() {
        return duplicates;
    }

    /** Frames dropped because they had no seq while the camera's order is by seq. */
    public long withoutSeq() {
        return withoutSeq;
    }

    /**
     * Times the seq counted again from a lower number (or, without seq, the clock stepped back).
     */
    public long restarts() {
        return restarts;
    }

    /** The most frames held at once. */
    public int maxHeld() {
        return maxHeld;
    }

    /** Frames held now. */
    public int held() {
        return held.size();
    }
}
