package io.frameflow.operators.secondary;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A track's classifier state as keyed state bytes: the classifier version ({@code name@version})
 * whose probabilities it averages, then the average ({@link TrackAverage}). Another version's
 * average is not mixed with the running one's (its classes may differ): after a rollout, each track
 * starts afresh and is classified on its next frame.
 */
final class ClassifiedTrack {

    private static final byte FORMAT = 1;

    private ClassifiedTrack() {}

    static byte[] toBytes(String model, TrackAverage average) {
        byte[] m = model.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1 + 2 + m.length + average.byteSize());
        b.put(FORMAT).putShort((short) m.length).put(m);
        average.write(b);
        return b.array();
    }

    /** The stored average when {@code model} computed it, else a new one of {@code classes}. */
    static TrackAverage fromBytes(byte[] stored, String model, int classes) {
        if (stored == null) {
            return new TrackAverage(classes);
        }
        ByteBuffer b = ByteBuffer.wrap(stored);
        if (b.get() != FORMAT) {
            return new TrackAverage(classes);
        }
        byte[] m = new byte[b.getShort()];
        b.get(m);
        if (!new String(m, StandardCharsets.UTF_8).equals(model)) {
            return new TrackAverage(classes);
        }
        return TrackAverage.read(b);
    }
}
