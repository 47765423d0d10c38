package io.frameflow.operators.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a loaded model declares: its file, input and output names with shapes (-1 = dynamic), and
 * its custom metadata (Ultralytics puts {@code names}, {@code imgsz}, {@code task} there).
 */
public record ModelSignature(
        String file,
        Map<String, long[]> inputs,
        Map<String, long[]> outputs,
        Map<String, String> metadata) {

    public static ModelSignature of(String file, OrtSession session) throws OrtException {
        return new ModelSignature(
                file,
                shapes(session.getInputInfo()),
                shapes(session.getOutputInfo()),
                Map.copyOf(session.getMetadata().getCustomMetadata()));
    }

    private static Map<String, long[]> shapes(Map<String, NodeInfo> infos) {
        Map<String, long[]> out = new LinkedHashMap<>();
        infos.forEach(
                (name, info) ->
                        out.put(
                                name,
                                info.getInfo() instanceof TensorInfo t
                                        ? t.getShape()
                                        : new long[0]));
        return out;
    }

    public List<String> outputNames() {
        return List.copyOf(outputs.keySet());
    }

    public long[] output(int i) {
        return outputs.get(outputNames().get(i));
    }

    /** "images [1, 3, 416, 416]" style description of all inputs and outputs, for errors. */
    public String describe() {
        return "inputs " + describe(inputs) + ", outputs " + describe(outputs);
    }

    private static String describe(Map<String, long[]> shapes) {
        return shapes.entrySet().stream()
                .map(e -> e.getKey() + " " + Arrays.toString(e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
