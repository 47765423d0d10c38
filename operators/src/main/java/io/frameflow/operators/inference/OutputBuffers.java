package io.frameflow.operators.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pinned direct buffers ORT writes a batch's outputs into: no per-frame output tensors are
 * allocated or copied. One buffer per output, sized for the largest batch, serves every batch size:
 * an {@code n}-frame batch's tensors wrap the first {@code n} frames of it. Memory is thus linear
 * in {@code maxBatch}; a buffer per batch size (as before) held 1 + 2 + ... + maxBatch frames,
 * hundreds of MB per slot at the batch sizes recommended for GPUs. The per-size tensors are created
 * on first use and only hold a native header over the shared memory. Used by the detector's one
 * inference thread only.
 */
final class OutputBuffers implements AutoCloseable {

    /** The tensors of one batch size and the buffers (shared by all sizes) under them. */
    static final class Pinned {
        /** Whole buffers, one per output; frame {@code i} is at {@code i * outputItemSize}. */
        final FloatBuffer[] buffers;

        final Map<String, OnnxTensor> tensors = new LinkedHashMap<>();

        private Pinned(OrtEnvironment env, ModelProfile profile, FloatBuffer[] buffers, int n)
                throws OrtException {
            this.buffers = buffers;
            List<String> names = profile.outputNames();
            try {
                for (int i = 0; i < names.size(); i++) {
                    long[] itemShape = profile.outputItemShapes().get(i);
                    long[] shape = new long[itemShape.length + 1];
                    shape[0] = n;
                    System.arraycopy(itemShape, 0, shape, 1, itemShape.length);
                    // a direct slice: the tensor points into the shared memory, nothing is copied
                    FloatBuffer view = buffers[i].slice(0, n * profile.outputItemSize(i));
                    tensors.put(names.get(i), OnnxTensor.createTensor(env, view, shape));
                }
            } catch (OrtException | RuntimeException e) {
                close();
                throw e;
            }
        }

        private void close() {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    private final OrtEnvironment env;
    private final ModelProfile profile;
    private final FloatBuffer[] buffers;
    private final Pinned[] byBatchSize;

    OutputBuffers(OrtEnvironment env, ModelProfile profile, int maxBatch) {
        this.env = env;
        this.profile = profile;
        this.byBatchSize = new Pinned[maxBatch + 1];
        this.buffers = new FloatBuffer[profile.outputNames().size()];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] =
                    ByteBuffer.allocateDirect(maxBatch * profile.outputItemSize(i) * Float.BYTES)
                            .order(ByteOrder.nativeOrder())
                            .asFloatBuffer();
        }
    }

    /** The outputs of an {@code n}-frame batch. */
    Pinned forBatch(int n) throws OrtException {
        Pinned p = byBatchSize[n];
        if (p == null) {
            p = new Pinned(env, profile, buffers, n);
            byBatchSize[n] = p;
        }
        return p;
    }

    /** Native (direct) bytes these buffers hold now. */
    long bytesHeld() {
        long bytes = 0;
        for (FloatBuffer b : buffers) {
            bytes += (long) b.capacity() * Float.BYTES;
        }
        return bytes;
    }

    @Override
    public void close() {
        for (Pinned p : byBatchSize) {
            if (p != null) {
                p.close();
            }
        }
    }
}
