package io.frameflow.operators.face;

import io.frameflow.operators.secondary.TrackAverage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What a camera remembers of one tracked face: its embeddings so far ({@link TrackAverage}: taken
 * once per track, again only when the face has grown markedly or some time has passed, matched as
 * their average), and the name the track was last given, which it keeps while its average dips
 * under the threshold (a turned head) unless it comes to match someone else. Stored as bytes in
 * keyed state (version 1: the version byte, the average, the name).
 */
final class TrackFace {

    private static final byte VERSION = 1;

    final TrackAverage embeddings;
    String name; // null until the track matched someone

    TrackFace(int dimensions) {
        this(new TrackAverage(dimensions));
    }

    private TrackFace(TrackAverage embeddings) {
        this.embeddings = embeddings;
    }

    byte[] toBytes() {
        byte[] n = name == null ? new byte[0] : name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1 + embeddings.byteSize() + 4 + n.length);
        b.put(VERSION);
        embeddings.write(b);
        b.putInt(name == null ? -1 : n.length).put(n);
        return b.array();
    }

    static TrackFace fromBytes(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte version = b.get();
        if (version != VERSION) {
            throw new IllegalStateException("unknown face track state version " + version);
        }
        TrackFace t = new TrackFace(TrackAverage.read(b));
        int n = b.getInt();
        if (n >= 0) {
            byte[] name = new byte[n];
            b.get(name);
            t.name = new String(name, StandardCharsets.UTF_8);
        }
        return t;
    }
}
