package io.frameflow.records.settings;

import com.fasterxml.jackson.core.JsonGenerator;
import io.frameflow.records.settings.CameraSettings.Field;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Set;

/**
 * Writes a settings document as canonical JSON: specified fields only, classes sorted, shortest
 * numbers.
 */
final class SettingsJsonWriter {

    private SettingsJsonWriter() {}

    static void writeDocument(JsonGenerator g, CameraSettings s) throws IOException {
        g.writeStartObject();
        for (Field f : Field.values()) {
            if (!s.isSpecified(f)) {
                continue;
            }
            g.writeFieldName(f.jsonName());
            switch (f) {
                case SITE -> g.writeString(s.site());
                case CLASSES -> writeClasses(g, s.classes());
                case MIN_SCORE -> writeNumber(g, s.minScore());
                case INFER_EVERY -> g.writeNumber(s.inferEvery());
                case MODELS -> {
                    g.writeStartArray();
                    for (String m : s.models()) {
                        g.writeString(m);
                    }
                    g.writeEndArray();
                }
                case SKIP_UNCHANGED -> writeNumber(g, s.skipUnchanged());
                case MASKS -> {
                    g.writeStartArray();
                    for (Polygon p : s.masks()) {
                        writePolygon(g, p);
                    }
                    g.writeEndArray();
                }
                case ZONES -> {
                    g.writeStartArray();
                    for (Zone z : s.zones()) {
                        writeZone(g, z);
                    }
                    g.writeEndArray();
                }
                case LINES -> {
                    g.writeStartArray();
                    for (Line l : s.lines()) {
                        writeLine(g, l);
                    }
                    g.writeEndArray();
                }
                case TRACKER -> writeTracker(g, s.tracker());
                default -> throw new AssertionError(f);
            }
        }
        g.writeEndObject();
    }

    static void writeZone(JsonGenerator g, Zone z) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", z.name());
        g.writeFieldName("polygon");
        writePolygon(g, z.polygon());
        if (!z.classes().isEmpty()) {
            g.writeFieldName("classes");
            writeClasses(g, z.classes());
        }
        if (z.loiterSeconds() != null) {
            g.writeFieldName("loiterSeconds");
            writeNumber(g, z.loiterSeconds());
        }
        g.writeEndObject();
    }

    static void writeLine(JsonGenerator g, Line l) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", l.name());
        g.writeArrayFieldStart("points");
        writePoint(g, l.a());
        writePoint(g, l.b());
        g.writeEndArray();
        if (!l.classes().isEmpty()) {
            g.writeFieldName("classes");
            writeClasses(g, l.classes());
        }
        g.writeEndObject();
    }

    static void writeTracker(JsonGenerator g, TrackerOverrides t) throws IOException {
        g.writeStartObject();
        writeOptional(g, "highThresh", t.highThresh());
        writeOptional(g, "lowThresh", t.lowThresh());
        writeOptional(g, "newTrackThresh", t.newTrackThresh());
        writeOptional(g, "matchThresh", t.matchThresh());
        if (t.minHits() != null) {
            g.writeNumberField("minHits", t.minHits());
        }
        if (t.trackBufferMs() != null) {
            g.writeNumberField("trackBufferMs", t.trackBufferMs());
        }
        g.writeEndObject();
    }

    static void writeOptional(JsonGenerator g, String field, Double v) throws IOException {
        if (v != null) {
            g.writeFieldName(field);
            writeNumber(g, v);
        }
    }

    static void writeClasses(JsonGenerator g, Set<String> classes) throws IOException {
        g.writeStartArray();
        for (String c : classes.stream().sorted().toList()) {
            g.writeString(c);
        }
        g.writeEndArray();
    }

    static void writePolygon(JsonGenerator g, Polygon p) throws IOException {
        g.writeStartArray();
        for (Point pt : p.points()) {
            writePoint(g, pt);
        }
        g.writeEndArray();
    }

    static void writePoint(JsonGenerator g, Point p) throws IOException {
        g.writeStartArray();
        writeNumber(g, p.x());
        writeNumber(g, p.y());
        g.writeEndArray();
    }

    /**
     * A finite double in plain decimal, trailing zeros cut ({@code 0.85}, {@code 1}, {@code
     * 0.0001}): the shortest digits that read back to the same double.
     */
    static void writeNumber(JsonGenerator g, double v) throws IOException {
        BigDecimal d = BigDecimal.valueOf(v).stripTrailingZeros();
        g.writeNumber(d.scale() < 0 ? d.setScale(0) : d);
    }
}
