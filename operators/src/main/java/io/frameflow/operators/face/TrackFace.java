package io.frameflow.operators.face;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What a camera remembers of one tracked face: the sum of the embeddings taken so far (matched as
 * their average), how many, and when and at what size the last was taken, so that a face is
 * embedded once per track and again only when it has grown markedly or some time has passed; and
 * the name the track was last given, which it keeps while its average dips under the threshold (a
 * turned head) unless it comes to match someone else. Stored as bytes in keyed state (version 1).
 */
final class TrackFace {

    private static final byte VERSION = 1;

    /** Most embeddings summed per track; after that the average is good enough. */
    static final int MAX_EMBEDDINGS = 8;

    /** A face this much wider than at its last embedding is embedded again. */
    static final float GROWTH = 1.25f;

    /** A track's face is embedded again after this long (capture time). */
    static final long REEMBED_MS = 2_000;

    final float[] sum;
    int count;
    float lastWidth;
    long lastEmbedTs;
    String name; // null until the track matched someone

    TrackFace(int dimensions) {
        this.sum = new float[dimensions];
    }

    /** Whether a face of this width at this capture time should be embedded again. */
    boolean wantsEmbedding(float width, long captureTs) {
        return count == 0
                || (count < MAX_EMBEDDINGS
                        && (width >= lastWidth * GROWTH || captureTs - lastEmbedTs >= REEMBED_MS));
    }

    void add(float[] embedding, float width, long captureTs) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += embedding[i];
        }
        count++;
        lastWidth = width;
        lastEmbedTs = captureTs;
    }

    byte[] toBytes() {
        byte[] n = name == null ? new byte[0] : name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1 + 4 + 4 + 4 + 8 + 4 * sum.length + 4 + n.length);
        b.put(VERSION).putInt(sum.length).putInt(count).putFloat(lastWidth).putLong(lastEmbedTs);
        for (float v : sum) {
            b.putFloat(v);
        }
        b.putInt(name == null ? -1 : n.length).put(n);
        return b.array();
    }

    static TrackFace fromBytes(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte version = b.get();
        if (version != VERSION) {
            throw new IllegalStateException("unknown face track state version " + version);
        }
        TrackFace t = new TrackFace(b.getInt());
        t.count = b.getInt();
        t.lastWidth = b.getFloat();
        t.lastEmbedTs = b.getLong();
        for (int i = 0; i < t.sum.length; i++) {
            t.sum[i] = b.getFloat();
        }
        int n = b.getInt();
        if (n >= 0) {
            byte[] name = new byte[n];
            b.get(name);
            t.name = new String(name, StandardCharsets.UTF_8);
        }
        return t;
    }
}
