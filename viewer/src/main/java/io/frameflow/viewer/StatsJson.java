package io.frameflow.viewer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frameflow.operators.model.WindowStats;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a {@code frames.stats} record into {@link WindowStats} with Jackson's tree model.
 *
 * <p>Stop-gap until connectors has the shared stats serde: only this class changes when it lands.
 */
final class StatsJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StatsJson() {}

    /**
     * Parses one record value.
     *
     * @param key the record key (camera id), used when the JSON has no {@code camera} field
     * @throws IllegalArgumentException with the reason when the value is not a stats object
     */
    static WindowStats parse(String key, byte[] value) {
        if (value == null || value.length == 0) {
            throw new IllegalArgumentException("empty value");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String camera = root.path("camera").asText(key == null ? "" : key);
        if (camera.isEmpty()) {
            throw new IllegalArgumentException("no camera (neither field nor key)");
        }
        Map<String, WindowStats.ClassCount> counts = new LinkedHashMap<>();
        JsonNode countsNode = root.path("counts");
        if (countsNode.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = countsNode.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode c = e.getValue();
                counts.put(
                        e.getKey(),
                        new WindowStats.ClassCount(
                                c.path("avg").asDouble(),
                                c.path("max").asInt(),
                                c.path("min").asInt()));
            }
        }
        return new WindowStats(
                camera,
                requiredLong(root, "windowStart"),
                requiredLong(root, "windowEnd"),
                root.path("frames").asLong(),
                root.path("fps").asDouble(),
                root.path("dropped").asLong(),
                counts,
                percentiles(root.get("latencyMs")),
                percentiles(root.get("inferenceMs")));
    }

    private static long requiredLong(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || !n.isNumber()) {
            throw new IllegalArgumentException("missing or non-numeric " + field);
        }
        return n.asLong();
    }

    /** Null when the record has no such object (the page shows a dash then). */
    private static WindowStats.Percentiles percentiles(JsonNode n) {
        if (n == null || !n.isObject()) {
            return null;
        }
        return new WindowStats.Percentiles(
                n.path("p50").asDouble(),
                n.path("p95").asDouble(),
                n.path("p99").asDouble(),
                n.path("max").asDouble());
    }
}
