package io.frameflow.operators.secondary;

import java.nio.ByteBuffer;

/**
 * A secondary model's output on one track, averaged: the sum of the vectors taken so far (a face
 * embedder's embeddings, a classifier's probabilities), how many, and when and at what box width
 * the last was taken. It decides when a track's crop is worth running the model on again: once when
 * the track is first seen large enough, then only when its box has grown markedly (a person walking
 * towards the camera shows more detail) or some time has passed, and never more than {@link
 * #MAX_SAMPLES} times, so a secondary model costs per track, not per frame.
 *
 * <p>Single video frames are noisy (a 40-pixel face, a person half behind a shelf); the average of
 * a few is what is matched or classified.
 */
public final class TrackAverage {

    /** Most samples summed per track; after that the average is good enough. */
    public static final int MAX_SAMPLES = 8;

    /** A box this much wider than at its last sample is sampled again. */
    public static final float GROWTH = 1.25f;

    /** A track is sampled again after this long (capture time). */
    public static final long RESAMPLE_MS = 2_000;

    private final float[] sum;
    private int count;
    private float lastWidth;
    private long lastTs;

    public TrackAverage(int dimensions) {
        this.sum = new float[dimensions];
    }

    /** Whether a box of this width at this capture time should be run through the model. */
    public boolean wantsSample(float width, long captureTs) {
        return count == 0
                || (count < MAX_SAMPLES
                        && (width >= lastWidth * GROWTH || captureTs - lastTs >= RESAMPLE_MS));
    }

    /** Adds one output of the model, taken on a box of this width at this capture time. */
    public void add(float[] sample, float width, long captureTs) {
        if (sample.length != sum.length) {
            throw new IllegalArgumentException(
                    "sample of " + sample.length + " values for a track of " + sum.length);
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] += sample[i];
        }
        count++;
        lastWidth = width;
        lastTs = captureTs;
    }

    /** Samples taken so far. */
    public int count() {
        return count;
    }

    /** The sum of the samples (its direction is the average's, for cosine matching). */
    public float[] sum() {
        return sum;
    }

    /** The index of the largest average value and that average; -1 before any sample. */
    public Best best() {
        if (count == 0) {
            return new Best(-1, Float.NaN);
        }
        int best = 0;
        for (int i = 1; i < sum.length; i++) {
            if (sum[i] > sum[best]) {
                best = i;
            }
        }
        return new Best(best, sum[best] / count);
    }

    /** The largest average value and where it is. */
    public record Best(int index, float value) {}

    /** Bytes {@link #write} takes. */
    public int byteSize() {
        return 4 + 4 + 4 + 8 + 4 * sum.length;
    }

    /** Writes dimensions, count, last width, last time and the sum. */
    public void write(ByteBuffer b) {
        b.putInt(sum.length).putInt(count).putFloat(lastWidth).putLong(lastTs);
        for (float v : sum) {
            b.putFloat(v);
        }
    }

    /** Reads what {@link #write} wrote. */
    public static TrackAverage read(ByteBuffer b) {
        TrackAverage t = new TrackAverage(b.getInt());
        t.count = b.getInt();
        t.lastWidth = b.getFloat();
        t.lastTs = b.getLong();
        for (int i = 0; i < t.sum.length; i++) {
            t.sum[i] = b.getFloat();
        }
        return t;
    }
}
