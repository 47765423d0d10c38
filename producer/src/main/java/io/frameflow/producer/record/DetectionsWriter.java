package io.frameflow.producer.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes the detections of the recorded frames: {@code .json} = a JSON array of the per-frame
 * objects as they are on the detections topic; {@code .csv} = one row per detected object.
 */
public final class DetectionsWriter {

    static final String CSV_HEADER = "camera,seq,capture_ts,model,label,class_id,score,x1,y1,x2,y2";

    private final ObjectMapper mapper = new ObjectMapper();
    private final List<JsonNode> frames = new ArrayList<>();

    public void add(JsonNode frameDetections) {
        frames.add(frameDetections);
    }

    public int frameCount() {
        return frames.size();
    }

    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) {
            ArrayNode array = mapper.createArrayNode();
            frames.forEach(array::add);
            mapper.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), array);
        } else {
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                w.write(CSV_HEADER);
                w.newLine();
                for (JsonNode f : frames) {
                    String prefix =
                            csv(f.path("camera").asText())
                                    + ","
                                    + f.path("seq").asLong(-1)
                                    + ","
                                    + f.path("captureTs").asLong(0)
                                    + ","
                                    + csv(f.path("model").asText(""));
                    for (JsonNode d : f.path("detections")) {
                        w.write(
                                prefix
                                        + ","
                                        + csv(d.path("label").asText(""))
                                        + ","
                                        + d.path("classId").asInt(-1)
                                        + ","
                                        + num(d, "score")
                                        + ","
                                        + num(d, "x1")
                                        + ","
                                        + num(d, "y1")
                                        + ","
                                        + num(d, "x2")
                                        + ","
                                        + num(d, "y2"));
                        w.newLine();
                    }
                }
            }
        }
    }

    /** Checks the file name before any work is done. */
    public static void validateName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".csv") && !name.endsWith(".json")) {
            throw new IllegalArgumentException(
                    "--detections-out must end with .csv or .json: " + file);
        }
    }

    private static String num(JsonNode d, String field) {
        return String.format(Locale.ROOT, "%.4f", d.path(field).asDouble());
    }

    private static String csv(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
