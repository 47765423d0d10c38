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

    @Override
    public void close() {
        decoder.close();
        writer.close();
    }
}
