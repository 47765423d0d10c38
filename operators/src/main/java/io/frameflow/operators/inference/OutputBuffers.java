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
 * Pinned direct buffers ORT writes a batch's outputs into, one set per batch size, created on first
 * use: no per-frame output tensors are allocated or copied. Used by the detector's one inference
 * thread only.
 */
final class OutputBuffers implements AutoCloseable {

    /** The buffers of one batch size and the tensors that wrap them. */
    static final class Pinned {
        final FloatBuffer[] buffers;
        final Map<String, OnnxTensor> tensors = new LinkedHashMap<>();

        private Pinned(OrtEnvironment env, ModelProfile profile, int n) throws OrtException {
            List<String> names = profile.outputNames();
            buffers = new FloatBuffer[names.size()];
            for (int i = 0; i < names.size(); i++) {
                long[] itemShape = profile.outputItemShapes().get(i);
                long[] shape = new long[itemShape.length + 1];
                shape[0] = n;
                System.arraycopy(itemShape, 0, shape, 1, itemShape.length);
                buffers[i] =
                        ByteBuffer.allocateDirect(n * profile.outputItemSize(i) * Float.BYTES)
                                .order(ByteOrder.nativeOrder())
                                .asFloatBuffer();
                tensors.put(names.get(i), OnnxTensor.createTensor(env, buffers[i], shape));
            }
        }

        private void close() {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    private final OrtEnvironment env;
    private final ModelProfile profile;
    private final Pinned[] byBatchSize;

    OutputBuffers(OrtEnvironment env, ModelProfile profile, int maxBatch) {
        this.env = env;
        this.profile = profile;
        this.byBatchSize = new Pinned[maxBatch + 1];
    }

    /** The outputs of an {@code n}-frame batch. */
    Pinned forBatch(int n) throws OrtException {
        Pinned p = byBatchSize[n];
        if (p == null) {
            p = new Pinned(env, profile, n);
            byBatchSize[n] = p;
        }
        return p;
    }

    /** Native (direct) bytes these buffers hold now. */
    long bytesHeld() {
        long bytes = 0;
        for (Pinned p : byBatchSize) {
            if (p != null) {
                for (FloatBuffer b : p.buffers) {
                    bytes += (long) b.capacity() * Float.BYTES;
                }
            }
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
