package io.frameflow.records.json;

import static io.frameflow.records.json.JsonFields.doubleValue;
import static io.frameflow.records.json.JsonFields.intValue;
import static io.frameflow.records.json.JsonFields.longValue;
import static io.frameflow.records.json.JsonFields.required;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.frameflow.records.WindowStats.LineCount;
import io.frameflow.records.WindowStats.ZoneCount;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code lines}, {@code zones} and {@code tracks} objects that {@code frames.stats} and {@code
 * frames.sites} share: {@code {"door":{"in","out"}}}, {@code {"counter":{"entries",
 * "occupancy":{"avg","max"}}}}, {@code {"person":3}}, keys in order.
 */
final class SceneJson {

    private SceneJson() {}

    static void writeLines(JsonGenerator g, Map<String, LineCount> lines) throws IOException {
        g.writeObjectFieldStart("lines");
        for (Map.Entry<String, LineCount> e : new TreeMap<>(lines).entrySet()) {
            g.writeObjectFieldStart(e.getKey());
            g.writeNumberField("in", e.getValue().in());
            g.writeNumberField("out", e.getValue().out());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    static void writeZones(JsonGenerator g, Map<String, ZoneCount> zones) throws IOException {
        g.writeObjectFieldStart("zones");
        for (Map.Entry<String, ZoneCount> e : new TreeMap<>(zones).entrySet()) {
            g.writeObjectFieldStart(e.getKey());
            g.writeNumberField("entries", e.getValue().entries());
            writeOccupancy(g, e.getValue().occupancyAvg(), e.getValue().occupancyMax());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    static void writeOccupancy(JsonGenerator g, double avg, int max) throws IOException {
        g.writeObjectFieldStart("occupancy");
        JsonFields.writeNumberField(g, "avg", avg);
        g.writeNumberField("max", max);
        g.writeEndObject();
    }

    static void writeTracks(JsonGenerator g, Map<String, Integer> tracks) throws IOException {
        g.writeObjectFieldStart("tracks");
        for (Map.Entry<String, Integer> e : new TreeMap<>(tracks).entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    /** {@code lines} of {@code root}; absent: none. */
    static Map<String, LineCount> readLines(JsonNode root, String what) throws IOException {
        Map<String, LineCount> lines = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("lines").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String where = what + " lines." + e.getKey();
            lines.put(
                    e.getKey(),
                    new LineCount(
                            longValue(e.getValue(), "in", where),
                            longValue(e.getValue(), "out", where)));
        }
        return lines;
    }

    /** {@code zones} of {@code root}; absent: none. */
    static Map<String, ZoneCount> readZones(JsonNode root, String what) throws IOException {
        Map<String, ZoneCount> zones = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("zones").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String where = what + " zones." + e.getKey();
            JsonNode occupancy = required(e.getValue(), "occupancy", where);
            zones.put(
                    e.getKey(),
                    new ZoneCount(
                            longValue(e.getValue(), "entries", where),
                            doubleValue(occupancy, "avg", where + ".occupancy"),
                            intValue(occupancy, "max", where + ".occupancy")));
        }
        return zones;
    }

    /** {@code tracks} of {@code root}; absent: none. */
    static Map<String, Integer> readTracks(JsonNode root) {
        Map<String, Integer> tracks = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("tracks").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            tracks.put(e.getKey(), e.getValue().asInt());
        }
        return tracks;
    }
}
