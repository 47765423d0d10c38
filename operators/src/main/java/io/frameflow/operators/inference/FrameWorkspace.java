package io.frameflow.operators.inference;

import io.frameflow.operators.decode.ImageDecoder;
import io.frameflow.operators.preprocess.TensorWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Reusable per-frame scratch: the OpenCV decoder and resize buffers and the direct float buffer the
 * NCHW tensor is written to. Pooled by the detector so the hot path allocates no pixel buffers.
 */
final class FrameWorkspace implements AutoCloseable {

    /**
     * Most decode bytes (encoded copy + decoded image) a pooled workspace keeps between frames: a
     * 1080p frame (6.2 MB decoded) fits, a 40 Mpx PNG (120 MB) does not.
     */
    static final long KEEP_DECODE_BYTES = 16L << 20;

    final ImageDecoder decoder = new ImageDecoder();
    final TensorWriter writer;
    final FloatBuffer input;

    FrameWorkspace(ModelProfile profile) {
        this.writer =
                new TensorWriter(profile.preprocess(), profile.inputWidth(), profile.inputHeight());
        this.input =
                ByteBuffer.allocateDirect(profile.inputItemSize() * Float.BYTES)
                        .order(ByteOrder.nativeOrder())
                        .asFloatBuffer();
    }

    /** Native bytes the decoder keeps between frames (they grow with the frames' size). */
    long decodeBytesHeld() {
        return decoder.bytesHeld();
    }

    /**
     * Called once the frame is in the input tensor (the decoded image is not needed any more):
     * frees decode buffers above {@link #KEEP_DECODE_BYTES}, keeps common-size ones for reuse.
     */
    void trim() {
        decoder.releaseIfAbove(KEEP_DECODE_BYTES);
    }

    @Override
    public void close() {
        decoder.close();
        writer.close();
    }
}
