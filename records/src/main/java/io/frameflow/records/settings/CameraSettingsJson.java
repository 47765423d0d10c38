package io.frameflow.records.settings;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frameflow.records.settings.CameraSettings.Field;
import io.frameflow.records.text.EditDistance;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Reads and writes camera settings documents, the values of the settings topic ({@code
 * frames.config}) and of {@code --camera-config} files:
 *
 * <pre>{@code
 * {"site":"shop-1","classes":["person"],"minScore":0.4,"inferEvery":2,
 *  "masks":[[[0,0],[0.2,0],[0.2,0.1]]],
 *  "zones":[{"name":"counter","polygon":[[0.3,0.5],[0.7,0.5],[0.7,1],[0.3,1]],"loiterSeconds":30}],
 *  "lines":[{"name":"door","points":[[0.85,0],[0.85,1]],"classes":["person"]}],
 *  "tracker":{"highThresh":0.6,"lowThresh":0.1,"newTrackThresh":0.7,"matchThresh":0.8,
 *             "minHits":3,"trackBufferMs":2000}}
 * }</pre>
 *
 * Every field is optional. {@link #parse} refuses anything the schema ({@code
 * docs/camera-settings.schema.json}) refuses, and a few things it cannot express (documented
 * there), with a {@link SettingsException}: a reason code and a sentence naming the place, e.g.
 * {@code zones[1] 'exit'.polygon: edge point 0-point 1 and edge point 2-point 3 cross or touch}.
 * Unknown fields are refused at every level, so a misspelt field never passes unnoticed.
 *
 * <p>{@link #write} gives the canonical form: fields in a fixed order, only those the document
 * gave, classes sorted, numbers in plain decimal; {@code parse(write(s))} equals {@code s}.
 *
 * <p>Each instance owns its ObjectMapper (thread-safe once built): create one per operator
 * instance, in {@code open()}.
 */
public final class CameraSettingsJson {

    /** The largest document, in bytes (a settings record's value; a file's document, written). */
    public static final int MAX_DOCUMENT_BYTES = 64 * 1024;

    static final List<String> ZONE_FIELDS = List.of("name", "polygon", "classes", "loiterSeconds");
    static final List<String> LINE_FIELDS = List.of("name", "points", "classes");
    static final List<String> TRACKER_FIELDS =
            List.of(
                    "highThresh",
                    "lowThresh",
                    "newTrackThresh",
                    "matchThresh",
                    "minHits",
                    "trackBufferMs");
    static final List<String> FIELDS = Arrays.stream(Field.values()).map(Field::jsonName).toList();

    private static final Map<String, Field> FIELD_BY_NAME =
            Arrays.stream(Field.values())
                    .collect(
                            Collectors.toMap(
                                    Field::jsonName, f -> f, (a, b) -> a, LinkedHashMap::new));

    private final ObjectMapper mapper = newMapper();

    /**
     * A mapper that refuses a field given twice and anything after the document, and keeps decimals
     * exact (BigDecimal) so numbers read back to the very doubles that were written.
     */
    static ObjectMapper newMapper() {
        JsonFactory factory =
                JsonFactory.builder()
                        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                        .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
                        .build();
        return new ObjectMapper(factory)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * Parses and validates one document, e.g. the value of a settings record.
     *
     * @throws SettingsException with the reason and what to fix; {@link SettingsReason#TOO_LARGE}
     *     for more than {@link #MAX_DOCUMENT_BYTES} bytes, {@link SettingsReason#BAD_JSON} for null
     *     or no bytes (a record without a value is a tombstone: remove the key's settings instead)
     */
    public CameraSettings parse(byte[] json) throws SettingsException {
        if (json == null || json.length == 0) {
            throw new SettingsException(
                    SettingsReason.BAD_JSON,
                    "no document; a settings value is one JSON object such as {\"site\":\"shop-1\"}"
                            + " (a record without a value removes the camera's settings)");
        }
        if (json.length > MAX_DOCUMENT_BYTES) {
            throw new SettingsException(
                    SettingsReason.TOO_LARGE,
                    "the document has "
                            + json.length
                            + " bytes; at most "
                            + MAX_DOCUMENT_BYTES
                            + " are allowed (use fewer points or fewer decimals)");
        }
        return parse(readTree(json));
    }

    /** {@link #parse(byte[])} of the UTF-8 bytes of {@code json}. */
    public CameraSettings parse(String json) throws SettingsException {
        return parse(json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    /** The canonical JSON of {@code settings} (UTF-8). */
    public byte[] write(CameraSettings settings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            writeDocument(g, settings);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write camera settings", e); // in memory: never
        }
        return out.toByteArray();
    }

    /** {@link #write} as a string. */
    public String writeString(CameraSettings settings) {
        return new String(write(settings), StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- reading

    /** The JSON tree of {@code json}; BAD_JSON when it is none. */
    JsonNode readTree(byte[] json) throws SettingsException {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            String where =
                    e.getLocation() == null
                            ? ""
                            : " (line "
                                    + e.getLocation().getLineNr()
                                    + ", column "
                                    + e.getLocation().getColumnNr()
                                    + ")";
            throw new SettingsException(
                    SettingsReason.BAD_JSON,
                    "not valid JSON" + where + ": " + e.getOriginalMessage(),
                    e);
        } catch (IOException e) {
            throw new SettingsException(SettingsReason.BAD_JSON, "not valid JSON: " + e, e);
        }
        if (root == null || root.isMissingNode()) {
            throw new SettingsException(SettingsReason.BAD_JSON, "no document, only white space");
        }
        return root;
    }

    /** Validates a document already read as a tree (a value of a camera config file). */
    CameraSettings parse(JsonNode root) throws SettingsException {
        if (!root.isObject()) {
            throw new SettingsException(
                    SettingsReason.BAD_JSON,
                    "the document is "
                            + describe(root)
                            + ", not a JSON object; a settings document looks like"
                            + " {\"site\":\"shop-1\",\"zones\":[...]}");
        }
        checkFields(root, "", FIELDS);
        CameraSettings.Builder b = CameraSettings.builder();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Field f = FIELD_BY_NAME.get(e.getKey());
            JsonNode v = e.getValue();
            if (v.isNull()) {
                throw new SettingsException(
                        reasonOf(f),
                        f.jsonName()
                                + " is null; leave the field out to take the defaults' (or the"
                                + " built-in) value");
            }
            switch (f) {
                case SITE -> {
                    require(
                            v.isTextual(),
                            SettingsReason.BAD_SITE,
                            "site",
                            "is " + describe(v) + "; give the site's name, e.g. \"shop-1\"");
                    b.site(v.textValue());
                }
                case CLASSES -> b.classes(classes(v, "classes"));
                case MIN_SCORE -> {
                    require(
                            v.isNumber(),
                            SettingsReason.BAD_SCORE,
                            "minScore",
                            "is " + describe(v) + "; give a number from 0 to 1, e.g. 0.4");
                    b.minScore(v.doubleValue());
                }
                case INFER_EVERY -> {
                    require(
                            isWhole(v),
                            SettingsReason.BAD_INFER_EVERY,
                            "inferEvery",
                            "is "
                                    + describe(v)
                                    + "; give a whole number from 1 (every frame) to "
                                    + CameraSettings.MAX_INFER_EVERY);
                    require(
                            v.canConvertToInt(),
                            SettingsReason.BAD_INFER_EVERY,
                            "inferEvery",
                            v
                                    + " is out of range; give a whole number from 1 (every frame)"
                                    + " to "
                                    + CameraSettings.MAX_INFER_EVERY);
                    b.inferEvery(v.intValue());
                }
                case MASKS -> b.masks(masks(v));
                case ZONES -> b.zones(zones(v));
                case LINES -> b.lines(lines(v));
                case TRACKER -> b.tracker(tracker(v));
                default -> throw new AssertionError(f);
            }
        }
        return build("", b::build);
    }

    private static SettingsReason reasonOf(Field f) {
        return switch (f) {
            case SITE -> SettingsReason.BAD_SITE;
            case CLASSES -> SettingsReason.BAD_CLASS;
            case MIN_SCORE -> SettingsReason.BAD_SCORE;
            case INFER_EVERY -> SettingsReason.BAD_INFER_EVERY;
            case MASKS -> SettingsReason.BAD_POLYGON;
            case ZONES -> SettingsReason.BAD_ZONE;
            case LINES -> SettingsReason.BAD_LINE;
            case TRACKER -> SettingsReason.BAD_TRACKER;
        };
    }

    private static List<String> classes(JsonNode v, String path) throws SettingsException {
        require(
                v.isArray(),
                SettingsReason.BAD_CLASS,
                path,
                "is "
                        + describe(v)
                        + "; give a list of detector labels, e.g. [\"person\", \"car\"]");
        require(
                v.size() <= CameraSettings.MAX_CLASSES,
                SettingsReason.TOO_LARGE,
                path,
                v.size() + " given; at most " + CameraSettings.MAX_CLASSES + " are allowed");
        List<String> labels = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            JsonNode label = v.get(i);
            require(
                    label.isTextual() && Names.isName(label.textValue()),
                    SettingsReason.BAD_CLASS,
                    path + "[" + i + "]",
                    (label.isTextual() ? Names.quote(label.textValue()) : describe(label))
                            + " is not a class label; give a detector label such as \"person\":"
                            + " 1 to 64 letters, digits, spaces or . _ : @ + -");
            labels.add(label.textValue());
        }
        return labels;
    }

    private List<Polygon> masks(JsonNode v) throws SettingsException {
        require(
                v.isArray(),
                SettingsReason.BAD_POLYGON,
                "masks",
                "is " + describe(v) + "; give a list of polygons, [[[x,y],[x,y],[x,y]], ...]");
        require(
                v.size() <= CameraSettings.MAX_MASKS,
                SettingsReason.TOO_LARGE,
                "masks",
                v.size() + " given; at most " + CameraSettings.MAX_MASKS + " are allowed");
        List<Polygon> masks = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            masks.add(polygon(v.get(i), "masks[" + i + "]"));
        }
        return masks;
    }

    private List<Zone> zones(JsonNode v) throws SettingsException {
        require(
                v.isArray(),
                SettingsReason.BAD_ZONE,
                "zones",
                "is "
                        + describe(v)
                        + "; give a list of zones, [{\"name\":\"counter\",\"polygon\":[...]}, ...]");
        require(
                v.size() <= CameraSettings.MAX_ZONES,
                SettingsReason.TOO_LARGE,
                "zones",
                v.size() + " given; at most " + CameraSettings.MAX_ZONES + " are allowed");
        List<Zone> zones = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            zones.add(zone(v.get(i), "zones[" + i + "]"));
        }
        return zones;
    }

    private Zone zone(JsonNode z, String path) throws SettingsException {
        require(
                z.isObject(),
                SettingsReason.BAD_ZONE,
                path,
                "is "
                        + describe(z)
                        + "; a zone is an object, {\"name\":\"counter\",\"polygon\":[[x,y],...]}");
        checkFields(z, path, ZONE_FIELDS);
        String name = name(z, path);
        String at = path + " " + Names.quote(name);
        JsonNode polygonNode = z.get("polygon");
        require(
                polygonNode != null,
                SettingsReason.BAD_POLYGON,
                at,
                "has no polygon; give \"polygon\":[[x,y],[x,y],[x,y],...]");
        Polygon polygon = polygon(polygonNode, at + ".polygon");
        List<String> classes = optionalClasses(z, at);
        Double loiter = null;
        JsonNode l = z.get("loiterSeconds");
        if (l != null) {
            require(
                    l.isNumber(),
                    SettingsReason.BAD_ZONE,
                    at + ".loiterSeconds",
                    "is "
                            + describe(l)
                            + "; give seconds above 0 and at most 86400, or leave it out for no"
                            + " loitering events");
            loiter = l.doubleValue();
        }
        Double loiterSeconds = loiter;
        return build(at, () -> new Zone(name, polygon, Set.copyOf(classes), loiterSeconds));
    }

    private List<Line> lines(JsonNode v) throws SettingsException {
        require(
                v.isArray(),
                SettingsReason.BAD_LINE,
                "lines",
                "is "
                        + describe(v)
                        + "; give a list of lines, [{\"name\":\"door\",\"points\":[[x,y],[x,y]]},"
                        + " ...]");
        require(
                v.size() <= CameraSettings.MAX_LINES,
                SettingsReason.TOO_LARGE,
                "lines",
                v.size() + " given; at most " + CameraSettings.MAX_LINES + " are allowed");
        List<Line> lines = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            lines.add(line(v.get(i), "lines[" + i + "]"));
        }
        return lines;
    }

    private Line line(JsonNode l, String path) throws SettingsException {
        require(
                l.isObject(),
                SettingsReason.BAD_LINE,
                path,
                "is "
                        + describe(l)
                        + "; a line is an object, {\"name\":\"door\",\"points\":[[x,y],[x,y]]}");
        checkFields(l, path, LINE_FIELDS);
        String name = name(l, path);
        String at = path + " " + Names.quote(name);
        JsonNode points = l.get("points");
        require(
                points != null,
                SettingsReason.BAD_LINE,
                at,
                "has no points; give \"points\":[[x,y],[x,y]], from and to");
        require(
                points.isArray() && points.size() == 2,
                SettingsReason.BAD_LINE,
                at + ".points",
                (points.isArray() ? "has " + points.size() + " points" : "is " + describe(points))
                        + "; a line has exactly two, [[x,y],[x,y]], from and to");
        Point a = point(points.get(0), at + ".points[0]");
        Point b = point(points.get(1), at + ".points[1]");
        List<String> classes = optionalClasses(l, at);
        return build(at, () -> new Line(name, a, b, Set.copyOf(classes)));
    }

    private static String name(JsonNode o, String path) throws SettingsException {
        JsonNode n = o.get("name");
        require(
                n != null,
                SettingsReason.BAD_NAME,
                path,
                "has no name; give \"name\":\"...\" (unique among the camera's "
                        + (path.startsWith("zones") ? "zones" : "lines")
                        + ")");
        require(
                n.isTextual() && Names.isName(n.textValue()),
                SettingsReason.BAD_NAME,
                path + ".name",
                (n.isTextual() ? Names.quote(n.textValue()) : describe(n))
                        + " is not a name: 1 to 64 letters, digits, spaces or . _ : @ + -,"
                        + " starting with a letter or digit");
        return n.textValue();
    }

    private static List<String> optionalClasses(JsonNode o, String at) throws SettingsException {
        JsonNode c = o.get("classes");
        return c == null ? List.of() : classes(c, at + ".classes");
    }

    private Polygon polygon(JsonNode v, String path) throws SettingsException {
        require(
                v.isArray(),
                SettingsReason.BAD_POLYGON,
                path,
                "is " + describe(v) + "; a polygon is a list of points, [[x,y],[x,y],[x,y],...]");
        require(
                v.isEmpty() || !v.get(0).isNumber(),
                SettingsReason.BAD_POLYGON,
                path,
                "is "
                        + describe(v)
                        + ", a point, not a polygon; a polygon is a list of points,"
                        + " [[x,y],[x,y],[x,y],...] (masks: a list of polygons, [[[x,y],...]])");
        require(
                v.size() <= Polygon.MAX_POINTS,
                SettingsReason.TOO_LARGE,
                path,
                "has " + v.size() + " points; at most " + Polygon.MAX_POINTS + " are allowed");
        List<Point> points = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            points.add(point(v.get(i), path + "[" + i + "]"));
        }
        return build(path, () -> new Polygon(points));
    }

    private static Point point(JsonNode v, String path) throws SettingsException {
        require(
                v.isArray() && v.size() == 2 && v.get(0).isNumber() && v.get(1).isNumber(),
                SettingsReason.BAD_COORDINATE,
                path,
                "is "
                        + describe(v)
                        + "; a point is [x, y], two numbers from 0 to 1 (fractions of the width"
                        + " and height, x right, y down)");
        double x = v.get(0).doubleValue();
        double y = v.get(1).doubleValue();
        return build(path, () -> new Point(x, y));
    }

    private TrackerOverrides tracker(JsonNode v) throws SettingsException {
        require(
                v.isObject(),
                SettingsReason.BAD_TRACKER,
                "tracker",
                "is " + describe(v) + "; give an object such as {\"minHits\":3}");
        checkFields(v, "tracker", TRACKER_FIELDS);
        Double high = fraction(v, "highThresh");
        Double low = fraction(v, "lowThresh");
        require(
                high == null || low == null || low <= high,
                SettingsReason.BAD_TRACKER,
                "tracker",
                "lowThresh "
                        + low
                        + " is above highThresh "
                        + high
                        + "; the low threshold must not exceed the high one");
        Double newTrack = fraction(v, "newTrackThresh");
        Double match = fraction(v, "matchThresh");
        Long minHits = whole(v, "minHits", "a whole number from 1 to 100");
        require(
                minHits == null || (minHits >= 1 && minHits <= TrackerOverrides.MAX_MIN_HITS),
                SettingsReason.BAD_TRACKER,
                "tracker",
                "minHits " + minHits + " is out of range; give a whole number from 1 to 100");
        Long buffer = whole(v, "trackBufferMs", "milliseconds from 0 to 600000 (10 min)");
        Integer hits = minHits == null ? null : minHits.intValue();
        return build(
                "tracker", () -> new TrackerOverrides(high, low, newTrack, match, hits, buffer));
    }

    private static Double fraction(JsonNode tracker, String field) throws SettingsException {
        JsonNode n = tracker.get(field);
        if (n == null) {
            return null;
        }
        require(
                n.isNumber(),
                SettingsReason.BAD_TRACKER,
                "tracker." + field,
                "is " + describe(n) + "; give a number from 0 to 1");
        return n.doubleValue();
    }

    private static Long whole(JsonNode tracker, String field, String what)
            throws SettingsException {
        JsonNode n = tracker.get(field);
        if (n == null) {
            return null;
        }
        require(
                isWhole(n) && n.canConvertToLong(),
                SettingsReason.BAD_TRACKER,
                "tracker." + field,
                "is " + describe(n) + "; give " + what);
        return n.longValue();
    }

    /** An integer, or a decimal with nothing after the point (JSON Schema's "integer"). */
    private static boolean isWhole(JsonNode n) {
        if (n.isIntegralNumber()) {
            return true;
        }
        if (!n.isNumber()) {
            return false;
        }
        BigDecimal d = n.decimalValue();
        return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
    }

    /** Refuses fields not in {@code known}, suggesting the nearest known one. */
    private static void checkFields(JsonNode object, String path, List<String> known)
            throws SettingsException {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                String near = nearest(name, known);
                throw new SettingsException(
                        SettingsReason.UNKNOWN_FIELD,
                        (path.isEmpty() ? "" : path + ": ")
                                + "unknown field "
                                + Names.quote(name)
                                + (near == null ? "." : "; did you mean '" + near + "'?")
                                + " The fields "
                                + (path.isEmpty() ? "of a document" : "here")
                                + " are "
                                + String.join(", ", known));
            }
        }
    }

    private static String nearest(String name, List<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(name.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return bestDistance <= Math.max(2, name.length() / 3) ? best : null;
    }

    /** Levenshtein distance; long names (never a field's) are not compared. */
    private static int distance(String a, String b) {
        return a.length() > 64 || b.length() > 64 ? Integer.MAX_VALUE : EditDistance.between(a, b);
    }

    private static void require(boolean ok, SettingsReason reason, String path, String problem)
            throws SettingsException {
        if (!ok) {
            throw new SettingsException(reason, at(path, problem));
        }
    }

    private static <T> T build(String path, Supplier<T> constructor) throws SettingsException {
        try {
            return constructor.get();
        } catch (InvalidSettingsException e) {
            throw new SettingsException(e.reason, at(path, e.getMessage()));
        }
    }

    private static String at(String path, String problem) {
        return path.isEmpty() ? problem : path + ": " + problem;
    }

    /** A short description of a JSON value for messages: its type, and the value if short. */
    static String describe(JsonNode n) {
        String type =
                switch (n.getNodeType()) {
                    case ARRAY -> "a list of " + n.size();
                    case OBJECT -> "an object";
                    case STRING -> "a string";
                    case NUMBER -> "the number";
                    case BOOLEAN -> "the boolean";
                    case NULL -> "null";
                    default -> "a " + n.getNodeType().toString().toLowerCase(Locale.ROOT);
                };
        if (n.isNull() || n.isContainerNode()) {
            String text = n.toString();
            return text.length() <= 40 ? type + " " + text : type;
        }
        String text = n.toString();
        return type + " " + (text.length() <= 40 ? text : text.substring(0, 40) + "...");
    }

    // ---------------------------------------------------------------- writing

    private static void writeDocument(JsonGenerator g, CameraSettings s) throws IOException {
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

    private static void writeZone(JsonGenerator g, Zone z) throws IOException {
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

    private static void writeLine(JsonGenerator g, Line l) throws IOException {
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

    private static void writeTracker(JsonGenerator g, TrackerOverrides t) throws IOException {
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

    private static void writeOptional(JsonGenerator g, String field, Double v) throws IOException {
        if (v != null) {
            g.writeFieldName(field);
            writeNumber(g, v);
        }
    }

    private static void writeClasses(JsonGenerator g, Set<String> classes) throws IOException {
        g.writeStartArray();
        for (String c : classes.stream().sorted().toList()) {
            g.writeString(c);
        }
        g.writeEndArray();
    }

    private static void writePolygon(JsonGenerator g, Polygon p) throws IOException {
        g.writeStartArray();
        for (Point pt : p.points()) {
            writePoint(g, pt);
        }
        g.writeEndArray();
    }

    private static void writePoint(JsonGenerator g, Point p) throws IOException {
        g.writeStartArray();
        writeNumber(g, p.x());
        writeNumber(g, p.y());
        g.writeEndArray();
    }

    /**
     * A finite double in plain decimal, trailing zeros cut ({@code 0.85}, {@code 1}, {@code
     * 0.0001}): the shortest digits that read back to the same double.
     */
    private static void writeNumber(JsonGenerator g, double v) throws IOException {
        BigDecimal d = BigDecimal.valueOf(v).stripTrailingZeros();
        g.writeNumber(d.scale() < 0 ? d.setScale(0) : d);
    }
}
