package io.frameflow.records.json;

import static io.frameflow.records.json.JsonFields.doubleValue;
import static io.frameflow.records.json.JsonFields.longValue;
import static io.frameflow.records.json.JsonFields.required;
import static io.frameflow.records.json.JsonFields.text;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frameflow.records.CameraEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The {@code frames.events} JSON, one object per event (docs/events.md):
 *
 * <pre>{@code
 * {"version":1,"type":"line-cross","camera","site","name","trackId","label","captureTs","seq",
 *  "direction":"in","x","y"}
 * {"version":1,"type":"zone-exit",...,"dwellMs":12040,...}
 * }</pre>
 *
 * {@code site} is null for a camera without one; {@code direction} is only on {@code line-cross},
 * {@code dwellMs} only on {@code zone-exit} and {@code loiter}.
 */
public final class EventsJson {

    /** The contract's version, written into every event. */
    public static final int VERSION = 1;

    private static final String WHAT = "frames.events JSON";

    private final ObjectMapper mapper = JsonFields.newMapper();

    public byte[] write(CameraEvent e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("version", VERSION);
            g.writeStringField("type", e.type().wireName());
            g.writeStringField("camera", e.camera());
            g.writeStringField("site", e.site());
            g.writeStringField("name", e.name());
            g.writeNumberField("trackId", e.trackId());
            g.writeStringField("label", e.label());
            g.writeNumberField("captureTs", e.captureTs());
            g.writeNumberField("seq", e.seq());
            if (e.direction() != null) {
                g.writeStringField("direction", e.direction());
            }
            if (e.dwellMs() != null) {
                g.writeNumberField("dwellMs", e.dwellMs());
            }
            JsonFields.writeNumberField(g, "x", Math.round(e.x() * 1e4) / 1e4);
            JsonFields.writeNumberField(g, "y", Math.round(e.y() * 1e4) / 1e4);
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot write " + WHAT, ex);
        }
        return out.toByteArray();
    }

    /** Parses what {@link #write} wrote; IOException names the field that is missing or wrong. */
    public CameraEvent read(byte[] json) throws IOException {
        JsonNode root = mapper.readTree(json);
        if (root == null || !root.isObject()) {
            throw new IOException(WHAT + " is not an object");
        }
        CameraEvent.Type type;
        try {
            type = CameraEvent.Type.ofWireName(text(root, "type", WHAT));
        } catch (IllegalArgumentException e) {
            throw new IOException(WHAT + ": " + e.getMessage(), e);
        }
        JsonNode site = required(root, "site", WHAT);
        JsonNode dwell = root.get("dwellMs");
        JsonNode direction = root.get("direction");
        return new CameraEvent(
                type,
                text(root, "camera", WHAT),
                site.isNull() ? null : site.asText(),
                text(root, "name", WHAT),
                longValue(root, "trackId", WHAT),
                text(root, "label", WHAT),
                longValue(root, "captureTs", WHAT),
                longValue(root, "seq", WHAT),
                direction == null || direction.isNull() ? null : direction.asText(),
                dwell == null || dwell.isNull() ? null : dwell.asLong(),
                doubleValue(root, "x", WHAT),
                doubleValue(root, "y", WHAT));
    }
}
