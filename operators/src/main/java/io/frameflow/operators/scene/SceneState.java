package io.frameflow.operators.scene;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where each of a camera's tracks stands against its lines and zones, for {@link SceneRules}: kept
 * in Flink keyed state as a plain {@code byte[]} ({@link #toBytes}, {@link #fromBytes}, no Kryo)
 * beside the tracker's, so events and track ids restore together.
 *
 * <p>Bounded: a track is forgotten once it has not been seen for the tracker's lost-track buffer,
 * and a camera has at most 64 lines and 64 zones, so the state holds at most the tracker's {@code
 * maxTracks} tracks of at most 128 entries each.
 */
public final class SceneState {

    /** Format version written first; {@link #fromBytes} refuses any other. */
    public static final byte VERSION = 1;

    /** Tracks by id, in id order (so events come out in the same order after a restore). */
    final TreeMap<Long, TrackPlace> tracks = new TreeMap<>();

    /** One track: when and where it was last seen, its side of each line, its open zone visits. */
    static final class TrackPlace {
        String label;
        long lastSeenTs;
        long lastSeq;
        double x;
        double y;
        final TreeMap<String, LineSide> lines = new TreeMap<>();
        final TreeMap<String, ZoneVisit> zones = new TreeMap<>();

        TrackPlace(String label) {
            this.label = label;
        }
    }

    /**
     * The side of a line a track was last confirmed on (outside the dead band), where it was then,
     * and the line's end points at the time, so a line moved by new settings starts afresh instead
     * of counting a crossing nobody made.
     */
    static final class LineSide {
        double ax;
        double ay;
        double bx;
        double by;
        int side;
        double x;
        double y;
    }

    /** An open visit of a zone: when it began, and whether its loiter event went out. */
    static final class ZoneVisit {
        long enteredTs;
        boolean loitered;

        ZoneVisit(long enteredTs) {
            this.enteredTs = enteredTs;
        }
    }

    /** Whether no track is held (the camera's state can be cleared). */
    public boolean isEmpty() {
        return tracks.isEmpty();
    }

    /** Tracks held. */
    public int trackCount() {
        return tracks.size();
    }

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 64 * tracks.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(tracks.size());
            for (Map.Entry<Long, TrackPlace> e : tracks.entrySet()) {
                TrackPlace t = e.getValue();
                out.writeLong(e.getKey());
                out.writeUTF(t.label);
                out.writeLong(t.lastSeenTs);
                out.writeLong(t.lastSeq);
                out.writeDouble(t.x);
                out.writeDouble(t.y);
                out.writeShort(t.lines.size());
                for (Map.Entry<String, LineSide> l : t.lines.entrySet()) {
                    LineSide s = l.getValue();
                    out.writeUTF(l.getKey());
                    out.writeDouble(s.ax);
                    out.writeDouble(s.ay);
                    out.writeDouble(s.bx);
                    out.writeDouble(s.by);
                    out.writeByte(s.side);
                    out.writeDouble(s.x);
                    out.writeDouble(s.y);
                }
                out.writeShort(t.zones.size());
                for (Map.Entry<String, ZoneVisit> z : t.zones.entrySet()) {
                    out.writeUTF(z.getKey());
                    out.writeLong(z.getValue().enteredTs);
                    out.writeBoolean(z.getValue().loitered);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * @throws IllegalArgumentException for bytes this class did not write (other version,
     *     truncated)
     */
    public static SceneState fromBytes(byte[] bytes) {
        SceneState state = new SceneState();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException(
                        "scene state version " + version + ", expected " + VERSION);
            }
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                long id = in.readLong();
                TrackPlace t = new TrackPlace(in.readUTF());
                t.lastSeenTs = in.readLong();
                t.lastSeq = in.readLong();
                t.x = in.readDouble();
                t.y = in.readDouble();
                int lines = in.readShort();
                for (int j = 0; j < lines; j++) {
                    String name = in.readUTF();
                    LineSide s = new LineSide();
                    s.ax = in.readDouble();
                    s.ay = in.readDouble();
                    s.bx = in.readDouble();
                    s.by = in.readDouble();
                    s.side = in.readByte();
                    s.x = in.readDouble();
                    s.y = in.readDouble();
                    t.lines.put(name, s);
                }
                int zones = in.readShort();
                for (int j = 0; j < zones; j++) {
                    String name = in.readUTF();
                    ZoneVisit v = new ZoneVisit(in.readLong());
                    v.loitered = in.readBoolean();
                    t.zones.put(name, v);
                }
                state.tracks.put(id, t);
            }
            if (in.available() > 0) {
                throw new IllegalArgumentException("scene state has trailing bytes");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("scene state is truncated or corrupt", e);
        }
        return state;
    }
}
