package io.frameflow.records.json;

import static io.frameflow.records.json.JsonFields.doubleValue;
import static io.frameflow.records.json.JsonFields.intValue;
import static io.frameflow.records.json.JsonFields.longValue;
import static io.frameflow.records.json.JsonFields.required;
import static io.frameflow.records.json.JsonFields.text;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frameflow.records.SiteStats;
import io.frameflow.records.WindowStats.LineCount;
import io.frameflow.records.WindowStats.ZoneCount;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code frames.sites} JSON, one object per site and window (revision):
 *
 * <pre>{@code
 * {"version":1,"site","windowStart","windowEnd","revision","cameras":[...],"in","out",
 *  "occupancy":{"avg","max"},"lines":{"cam/door":{"in","out"}},
 *  "zones":{"cam/counter":{"entries","occupancy":{"avg","max"}}},"tracks":{"person":n}}
 * }</pre>
 */
public final class SitesJson {

    /** The contract's version, written into every record. */
    public static final int VERSION = 1;

    private static final String WHAT = "frames.sites JSON";

    private final ObjectMapper mapper = JsonFields.newMapper();

    public byte[] write(SiteStats s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("version", VERSION);
            g.writeStringField("site", s.site());
            g.writeNumberField("windowStart", s.windowStart());
            g.writeNumberField("windowEnd", s.windowEnd());
            g.writeNumberField("revision", s.revision());
            g.writeArrayFieldStart("cameras");
            for (String c : s.cameras()) {
                g.writeString(c);
            }
            g.writeEndArray();
            g.writeNumberField("in", s.in());
            g.writeNumberField("out", s.out());
            g.writeObjectFieldStart("occupancy");
            JsonFields.writeNumberField(g, "avg", s.occupancyAvg());
            g.writeNumberField("max", s.occupancyMax());
            g.writeEndObject();
            g.writeObjectFieldStart("lines");
            for (Map.Entry<String, LineCount> e : new TreeMap<>(s.lines()).entrySet()) {
                g.writeObjectFieldStart(e.getKey());
                g.writeNumberField("in", e.getValue().in());
                g.writeNumberField("out", e.getValue().out());
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeObjectFieldStart("zones");
            for (Map.Entry<String, ZoneCount> e : new TreeMap<>(s.zones()).entrySet()) {
                g.writeObjectFieldStart(e.getKey());
                g.writeNumberField("entries", e.getValue().entries());
                g.writeObjectFieldStart("occupancy");
                JsonFields.writeNumberField(g, "avg", e.getValue().occupancyAvg());
                g.writeNumberField("max", e.getValue().occupancyMax());
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeObjectFieldStart("tracks");
            for (Map.Entry<String, Integer> e : new TreeMap<>(s.tracks()).entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + WHAT, e);
        }
        return out.toByteArray();
    }

    /** Parses what {@link #write} wrote; the totals are recomputed from the parts. */
    public SiteStats read(byte[] json) throws IOException {
        JsonNode root = mapper.readTree(json);
        if (root == null || !root.isObject()) {
            throw new IOException(WHAT + " is not an object");
        }
        List<String> cameras = new ArrayList<>();
        for (JsonNode c : required(root, "cameras", WHAT)) {
            cameras.add(c.asText());
        }
        Map<String, LineCount> lines = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = required(root, "lines", WHAT).fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String what = WHAT + " lines." + e.getKey();
            lines.put(
                    e.getKey(),
                    new LineCount(
                            longValue(e.getValue(), "in", what),
                            longValue(e.getValue(), "out", what)));
        }
        Map<String, ZoneCount> zones = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = required(root, "zones", WHAT).fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String what = WHAT + " zones." + e.getKey();
            JsonNode occupancy = required(e.getValue(), "occupancy", what);
            zones.put(
                    e.getKey(),
                    new ZoneCount(
                            longValue(e.getValue(), "entries", what),
                            doubleValue(occupancy, "avg", what),
                            intValue(occupancy, "max", what)));
        }
        Map<String, Integer> tracks = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = required(root, "tracks", WHAT).fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            tracks.put(e.getKey(), e.getValue().asInt());
        }
        return new SiteStats(
                text(root, "site", WHAT),
                longValue(root, "windowStart", WHAT),
                longValue(root, "windowEnd", WHAT),
                intValue(root, "revision", WHAT),
                cameras,
                lines,
                zones,
                tracks);
    }
}
