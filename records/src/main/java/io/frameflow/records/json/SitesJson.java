package io.frameflow.records.json;

import static io.frameflow.records.json.JsonFields.intValue;
import static io.frameflow.records.json.JsonFields.longValue;
import static io.frameflow.records.json.JsonFields.required;
import static io.frameflow.records.json.JsonFields.text;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frameflow.records.SiteStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

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
            SceneJson.writeOccupancy(g, s.occupancyAvg(), s.occupancyMax());
            SceneJson.writeLines(g, s.lines());
            SceneJson.writeZones(g, s.zones());
            SceneJson.writeTracks(g, s.tracks());
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
        return new SiteStats(
                text(root, "site", WHAT),
                longValue(root, "windowStart", WHAT),
                longValue(root, "windowEnd", WHAT),
                intValue(root, "revision", WHAT),
                cameras,
                SceneJson.readLines(root, WHAT),
                SceneJson.readZones(root, WHAT),
                SceneJson.readTracks(root));
    }
}
