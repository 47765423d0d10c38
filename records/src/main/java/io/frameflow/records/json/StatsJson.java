package io.frameflow.records.json;

import static io.frameflow.records.json.JsonFields.doubleValue;
import static io.frameflow.records.json.JsonFields.intValue;
import static io.frameflow.records.json.JsonFields.longValue;
import static io.frameflow.records.json.JsonFields.required;
import static io.frameflow.records.json.JsonFields.text;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frameflow.records.WindowStats;
import io.frameflow.records.WindowStats.ClassCount;
import io.frameflow.records.WindowStats.Percentiles;
import io.frameflow.records.WindowStats.SceneStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code frames.stats} JSON, one object per camera window:
 *
 * <pre>{@code
 * {"version":1,"camera","windowStart","windowEnd","frames","fps","dropped",
 *  "counts":{"person":{"avg","max","min"}},
 *  "latencyMs":{"p50","p95","p99","max"},"inferenceMs":{"p50","p95","p99","max"},
 *  "site","lines":{"door":{"in","out"}},"zones":{"counter":{"entries","occupancy":{"avg","max"}}},
 *  "tracks":{"person":3}}
 * }</pre>
 *
 * Counts are in label order; a window without frames has {@code null} percentiles.
 */
public final class StatsJson {

    private static final String WHAT = "frames.stats JSON";

    /** The contract's version, written into every record (docs/schemas/stats.schema.json). */
    public static final int VERSION = 1;

    private final ObjectMapper mapper = JsonFields.newMapper();

    public byte[] write(WindowStats s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("version", VERSION);
            g.writeStringField("camera", s.camera());
            g.writeNumberField("windowStart", s.windowStart());
            g.writeNumberField("windowEnd", s.windowEnd());
            g.writeNumberField("frames", s.frames());
            JsonFields.writeNumberField(g, "fps", s.fps());
            g.writeNumberField("dropped", s.dropped());
            g.writeFieldName("counts");
            if (s.counts() == null) {
                g.writeNull();
            } else {
                g.writeStartObject();
                for (Map.Entry<String, ClassCount> e : new TreeMap<>(s.counts()).entrySet()) {
                    g.writeObjectFieldStart(e.getKey());
                    JsonFields.writeNumberField(g, "avg", e.getValue().avg());
                    g.writeNumberField("max", e.getValue().max());
                    g.writeNumberField("min", e.getValue().min());
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            writePercentiles(g, "latencyMs", s.latencyMs());
            writePercentiles(g, "inferenceMs", s.inferenceMs());
            writeScene(g, s.scene());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + WHAT, e);
        }
        return out.toByteArray();
    }

    private static void writeScene(JsonGenerator g, SceneStats scene) throws IOException {
        g.writeStringField("site", scene.site());
        SceneJson.writeLines(g, scene.lines());
        SceneJson.writeZones(g, scene.zones());
        SceneJson.writeTracks(g, scene.tracks());
    }

    /** The scene fields; absent in records written before they existed: none. */
    private static SceneStats readScene(JsonNode root) throws IOException {
        JsonNode site = root.get("site");
        return new SceneStats(
                site == null || site.isNull() ? null : site.asText(),
                SceneJson.readLines(root, WHAT),
                SceneJson.readZones(root, WHAT),
                SceneJson.readTracks(root));
    }

    private static void writePercentiles(JsonGenerator g, String name, Percentiles p)
            throws IOException {
        g.writeFieldName(name);
        if (p == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        JsonFields.writeNumberField(g, "p50", p.p50());
        JsonFields.writeNumberField(g, "p95", p.p95());
        JsonFields.writeNumberField(g, "p99", p.p99());
        JsonFields.writeNumberField(g, "max", p.max());
        g.writeEndObject();
    }

    /** Parses what {@link #write} wrote; IOException names the field that is missing or wrong. */
    public WindowStats read(byte[] json) throws IOException {
        JsonNode root = mapper.readTree(json);
        if (root == null || !root.isObject()) {
            throw new IOException(WHAT + " is not an object");
        }
        Map<String, ClassCount> counts = null;
        JsonNode countsNode = required(root, "counts", WHAT);
        if (!countsNode.isNull()) {
            counts = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = countsNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String what = WHAT + " counts." + e.getKey();
                JsonNode c = e.getValue();
                counts.put(
                        e.getKey(),
                        new ClassCount(
                                doubleValue(c, "avg", what),
                                intValue(c, "max", what),
                                intValue(c, "min", what)));
            }
        }
        return new WindowStats(
                text(root, "camera", WHAT),
                longValue(root, "windowStart", WHAT),
                longValue(root, "windowEnd", WHAT),
                longValue(root, "frames", WHAT),
                doubleValue(root, "fps", WHAT),
                longValue(root, "dropped", WHAT),
                counts,
                readPercentiles(root, "latencyMs"),
                readPercentiles(root, "inferenceMs"),
                readScene(root));
    }

    private static Percentiles readPercentiles(JsonNode root, String name) throws IOException {
        JsonNode p = required(root, name, WHAT);
        if (p.isNull()) {
            return null;
        }
        String what = WHAT + " " + name;
        return new Percentiles(
                doubleValue(p, "p50", what),
                doubleValue(p, "p95", what),
                doubleValue(p, "p99", what),
                doubleValue(p, "max", what));
    }
}
