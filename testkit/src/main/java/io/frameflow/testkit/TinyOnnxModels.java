package io.frameflow.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Small ONNX models written by the tests themselves, for layouts that {@code ../shared/models} has
 * no model of: they are real ONNX files that ONNX Runtime loads and runs, with an answer the test
 * knows by construction. Written as protobuf by hand (field numbers from onnx.proto), so the tests
 * need no Python and the repository holds no model file.
 */
public final class TinyOnnxModels {

    /** The classes of {@link #dominantColour}, in output order. */
    public static final String[] COLOURS = {"red", "green", "blue"};

    private TinyOnnxModels() {}

    /**
     * A classifier {@code images [N, 3, side, side] -> scores [N, 3]} that names the dominant
     * colour channel of its input (R, G, B in the NCHW order classifiers take): the global average
     * of each channel times 40, through a softmax unless {@code logits}. A red crop scores {@code
     * red} near 1.
     *
     * @param batch the input's batch dimension, or 0 for a dynamic one
     * @param metadata custom metadata (e.g. Ultralytics' {@code names} and {@code author})
     */
    public static byte[] dominantColour(
            int side, int batch, boolean logits, Map<String, String> metadata) {
        Proto graph = new Proto();
        graph.message(1, node("GlobalAveragePool", "images", "pooled"));
        graph.message(1, node("Flatten", "pooled", "flat"));
        graph.message(1, node("Mul", "flat", "sharp", logits ? "scores" : "logits"));
        if (!logits) {
            Proto softmax = node("Softmax", "logits", "scores");
            softmax.message(5, new Proto().string(1, "axis").varint(3, 1).varint(20, 2));
            graph.message(1, softmax);
        }
        graph.string(2, "dominant_colour");
        Proto sharp = new Proto().varint(1, 1).varint(2, 1).string(8, "sharp");
        sharp.bytes(9, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(40f).array());
        graph.message(5, sharp);
        graph.message(11, tensorValue("images", batch, 3, side, side));
        graph.message(12, tensorValue("scores", batch, 3));
        Proto model = new Proto().varint(1, 8).string(2, "frameflow-tests");
        model.message(8, new Proto().string(1, "").varint(2, 13));
        model.message(7, graph);
        metadata.forEach((k, v) -> model.message(14, new Proto().string(1, k).string(2, v)));
        return model.toBytes();
    }

    /** Writes {@link #dominantColour} to {@code file} and returns it. */
    public static Path writeDominantColour(
            Path file, int side, int batch, boolean logits, Map<String, String> metadata) {
        try {
            return Files.write(file, dominantColour(side, batch, logits, metadata));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Proto node(String op, String... inputsThenOutput) {
        Proto n = new Proto();
        for (int i = 0; i < inputsThenOutput.length - 1; i++) {
            n.string(1, inputsThenOutput[i]);
        }
        n.string(2, inputsThenOutput[inputsThenOutput.length - 1]);
        n.string(3, op + "_" + inputsThenOutput[0]);
        return n.string(4, op);
    }

    /** A float tensor's ValueInfoProto; a dimension of 0 is dynamic ({@code batch}). */
    private static Proto tensorValue(String name, long... dims) {
        Proto shape = new Proto();
        for (long d : dims) {
            shape.message(1, d > 0 ? new Proto().varint(1, d) : new Proto().string(2, "batch"));
        }
        Proto tensor = new Proto().varint(1, 1).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensor));
    }

    /** Just enough of protobuf's wire format: varints, strings and nested messages. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long value) {
            key(field, 0);
            raw(value);
            return this;
        }

        Proto string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Proto bytes(int field, byte[] value) {
            key(field, 2);
            raw(value.length);
            out.writeBytes(value);
            return this;
        }

        Proto message(int field, Proto value) {
            return bytes(field, value.toBytes());
        }

        byte[] toBytes() {
            return out.toByteArray();
        }

        private void key(int field, int wireType) {
            raw(((long) field << 3) | wireType);
        }

        private void raw(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
    }
}
