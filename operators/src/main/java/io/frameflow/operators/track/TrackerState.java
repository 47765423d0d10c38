package io.frameflow.operators.track;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A snapshot of one {@link ByteTracker}, for Flink keyed state as a plain {@code byte[]} (no Kryo):
 * {@link #toBytes()} and {@link #fromBytes(byte[])}. It carries the id counter, so ids continue
 * after a restore and never repeat.
 *
 * <p>Binary form, version 1, big-endian: a header of {@value #HEADER_BYTES} bytes ({@code byte}
 * version, {@code int} frame width, {@code int} frame height, {@code long} last capture time
 * ({@link Long#MIN_VALUE} = none yet), {@code long} next id, {@code int} track count), then per
 * track {@value #TRACK_BYTES} bytes ({@code long} id (0 = tentative), {@code int} class id, {@code
 * byte} state (0 tentative, 1 tracked, 2 lost), {@code int} hits, {@code float} last score, {@code
 * long} start time, {@code long} last-seen time, 8 {@code double} Kalman mean, 36 {@code double}
 * upper triangle of the Kalman covariance, row by row). The size is {@link #sizeBytes(int)}: at
 * most {@code 29 + 389 * maxTracks} bytes (about 97 KiB at the default 256 tracks).
 */
public final class TrackerState {

    /** Format version written first; {@link #fromBytes} refuses any other. */
    public static final byte VERSION = 1;

    public static final int HEADER_BYTES = 1 + 4 + 4 + 8 + 8 + 4;
    public static final int TRACK_BYTES = 8 + 4 + 1 + 4 + 4 + 8 + 8 + 8 * 8 + 36 * 8;

    static final long NO_TIME = Long.MIN_VALUE;

    final int frameWidth;
    final int frameHeight;
    final long lastTs;
    final long nextId;
    final List<Track> tracks;

    TrackerState(int frameWidth, int frameHeight, long lastTs, long nextId, List<Track> tracks) {
        this.frameWidth = frameWidth;
        this.frameHeight = frameHeight;
        this.lastTs = lastTs;
        this.nextId = nextId;
        this.tracks = Collections.unmodifiableList(new ArrayList<>(tracks));
    }

    /** Bytes of the binary form of a state holding {@code tracks} tracks. */
    public static int sizeBytes(int tracks) {
        return HEADER_BYTES + TRACK_BYTES * tracks;
    }

    /** Bytes of this state's binary form. */
    public int sizeBytes() {
        return sizeBytes(tracks.size());
    }

    /** Tracks held (tentative, tracked and lost). */
    public int trackCount() {
        return tracks.size();
    }

    /** The id the next confirmed track will get. */
    public long nextId() {
        return nextId;
    }

    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(sizeBytes());
        b.put(VERSION);
        b.putInt(frameWidth);
        b.putInt(frameHeight);
        b.putLong(lastTs);
        b.putLong(nextId);
        b.putInt(tracks.size());
        for (Track t : tracks) {
            b.putLong(t.id);
            b.putInt(t.classId);
            b.put(t.state);
            b.putInt(t.hits);
            b.putFloat(t.score);
            b.putLong(t.startTs);
            b.putLong(t.lastSeenTs);
            for (double d : t.mean) {
                b.putDouble(d);
            }
            for (int i = 0; i < BoxKalman.DIM; i++) {
                for (int j = i; j < BoxKalman.DIM; j++) {
                    b.putDouble(t.cov[i * BoxKalman.DIM + j]);
                }
            }
        }
        return b.array();
    }

    /**
     * Reads a binary form written by {@link #toBytes()}.
     *
     * @throws IllegalArgumentException for another version, a wrong length or impossible values,
     *     saying which
     */
    public static TrackerState fromBytes(byte[] bytes) {
        if (bytes == null) {
            throw new IllegalArgumentException("tracker state is null");
        }
        if (bytes.length < HEADER_BYTES) {
            throw new IllegalArgumentException(
                    "tracker state too short: "
                            + bytes.length
                            + " bytes, the header alone is "
                            + HEADER_BYTES);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte version = b.get();
        if (version != VERSION) {
            throw new IllegalArgumentException(
                    "tracker state version " + version + ", this build reads version " + VERSION);
        }
        int width = b.getInt();
        int height = b.getInt();
        long lastTs = b.getLong();
        long nextId = b.getLong();
        int count = b.getInt();
        if (count < 0 || count > TrackerSettings.MAX_TRACKS_LIMIT) {
            throw new IllegalArgumentException(
                    "tracker state claims "
                            + count
                            + " tracks (0.."
                            + TrackerSettings.MAX_TRACKS_LIMIT
                            + " allowed)");
        }
        if (bytes.length != sizeBytes(count)) {
            throw new IllegalArgumentException(
                    "tracker state of "
                            + bytes.length
                            + " bytes does not hold "
                            + count
                            + " tracks ("
                            + sizeBytes(count)
                            + " bytes expected)");
        }
        if (width < 0 || height < 0 || (width == 0) != (height == 0)) {
            throw new IllegalArgumentException(
                    "tracker state frame size " + width + "x" + height + " is impossible");
        }
        if (nextId < 1) {
            throw new IllegalArgumentException("tracker state next id " + nextId + " is not > 0");
        }
        List<Track> tracks = new ArrayList<>(count);
        Set<Long> ids = new HashSet<>();
        try {
            for (int k = 0; k < count; k++) {
                Track t = new Track();
                t.id = b.getLong();
                t.classId = b.getInt();
                t.state = b.get();
                t.hits = b.getInt();
                t.score = b.getFloat();
                t.startTs = b.getLong();
                t.lastSeenTs = b.getLong();
                for (int i = 0; i < BoxKalman.DIM; i++) {
                    t.mean[i] = b.getDouble();
                }
                for (int i = 0; i < BoxKalman.DIM; i++) {
                    for (int j = i; j < BoxKalman.DIM; j++) {
                        double d = b.getDouble();
                        t.cov[i * BoxKalman.DIM + j] = d;
                        t.cov[j * BoxKalman.DIM + i] = d;
                    }
                }
                check(t, k, nextId, ids);
                t.refreshBox();
                tracks.add(t);
            }
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("tracker state ends early", e);
        }
        return new TrackerState(width, height, lastTs, nextId, tracks);
    }

    private static void check(Track t, int k, long nextId, Set<Long> ids) {
        String what = null;
        if (t.state != Track.TENTATIVE && t.state != Track.TRACKED && t.state != Track.LOST) {
            what = "state " + t.state;
        } else if (t.state == Track.TENTATIVE && t.id != 0) {
            what = "tentative with id " + t.id;
        } else if (t.state != Track.TENTATIVE && (t.id < 1 || t.id >= nextId)) {
            what = "id " + t.id + " outside 1.." + (nextId - 1);
        } else if (t.id != 0 && !ids.add(t.id)) {
            what = "id " + t.id + " twice";
        } else if (t.hits < 1) {
            what = "hits " + t.hits;
        } else if (t.lastSeenTs < t.startTs) {
            what = "last seen before it started";
        } else if (!finite(t.mean) || !finite(t.cov) || !Float.isFinite(t.score)) {
            what = "a non-finite number";
        }
        if (what != null) {
            throw new IllegalArgumentException("tracker state track " + k + ": " + what);
        }
    }

    private static boolean finite(double[] values) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
