package io.frameflow.records.settings;

import static io.frameflow.records.settings.JsonChecks.*;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frameflow.records.settings.CameraSettings.Field;
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
import java.util.Map;
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
            SettingsJsonWriter.writeDocument(g, settings);
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
                case MODELS -> {
                    List<String> names = models(v);
                    require(
                            !names.isEmpty(),
                            SettingsReason.BAD_MODEL,
                            "models",
                            "is empty; give the names of the models to run, e.g."
                                    + " [\"yolox_nano\", \"yunet_n_dynamic\"], or leave it out for"
                                    + " the job's --model");
                    b.models(names);
                }
                case SKIP_UNCHANGED -> {
                    require(
                            v.isNumber(),
                            SettingsReason.BAD_SKIP_UNCHANGED,
                            "skipUnchanged",
                            "is "
                                    + describe(v)
                                    + "; give the share of the picture that must change, from 0"
                                    + " (never skip) to below 1, e.g. 0.005");
                    b.skipUnchanged(v.doubleValue());
                }
                case MASKS -> b.masks(GeometryJson.masks(v));
                case ZONES -> b.zones(GeometryJson.zones(v));
                case LINES -> b.lines(GeometryJson.lines(v));
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
            case MODELS -> SettingsReason.BAD_MODEL;
            case SKIP_UNCHANGED -> SettingsReason.BAD_SKIP_UNCHANGED;
            case MASKS -> SettingsReason.BAD_POLYGON;
            case ZONES -> SettingsReason.BAD_ZONE;
            case LINES -> SettingsReason.BAD_LINE;
            case TRACKER -> SettingsReason.BAD_TRACKER;
        };
    }

    private static List<String> models(JsonNode v) throws SettingsException {
        require(
                v.isArray() && v.size() <= CameraSettings.MAX_MODELS,
                SettingsReason.BAD_MODEL,
                "models",
                "is "
                        + describe(v)
                        + "; give a list of 1 to "
                        + CameraSettings.MAX_MODELS
                        + " model names, e.g. [\"yolox_nano\", \"yunet_n_dynamic\"]");
        List<String> names = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            JsonNode name = v.get(i);
            require(
                    name.isTextual() && Names.isName(name.textValue()),
                    SettingsReason.BAD_MODEL,
                    "models[" + i + "]",
                    (name.isTextual() ? Names.quote(name.textValue()) : describe(name))
                            + " is not a model's name: give the file name without .onnx");
            names.add(name.textValue());
        }
        return names;
    }

    static List<String> classes(JsonNode v, String path) throws SettingsException {
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
}
