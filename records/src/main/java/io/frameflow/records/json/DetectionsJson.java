package io.frameflow.records.json;

import static io.frameflow.records.json.JsonFields.doubleValue;
import static io.frameflow.records.json.JsonFields.intValue;
import static io.frameflow.records.json.JsonFields.longValue;
import static io.frameflow.records.json.JsonFields.required;
import static io.frameflow.records.json.JsonFields.text;
import static io.frameflow.records.json.JsonFields.toFloat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frameflow.records.Attribute;
import io.frameflow.records.Detection;
import io.frameflow.records.FrameDetections;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code frames.detections} JSON, one object per frame:
 *
 * <pre>{@code
 * {"version":1,"camera","seq","captureTs","width","height","model","modelVersion","inferenceMs","latencyMs",
 *  "detections":[{"label","classId","score","box":[x1,y1,x2,y2],"landmarks":[x,y,...],
 *                 "keypoints":[[x,y,score],...],"trackId","model","similarity",
 *                 "attributes":[{"model","label","score"}]}],
 *  "counts":{"person":3},"predicted":true}
 * }</pre>
 *
 * {@code landmarks} and {@code keypoints} (a pose model's, in its keypoint order: {@link
 * io.frameflow.records.PoseKeypoints#COCO} for COCO-pose models) appear only on detections that
 * have them, {@code similarity} only on recognised faces (whose label is a person's name or {@code
 * unknown}), {@code attributes} only where a classifier ran on the detection's track (one per
 * classifier: its {@code name@version}, its class and the average probability), {@code model} only
 * on frames that ran several models (whose {@code model} is their names joined by {@code +}),
 * {@code trackId} only on detections on a confirmed track of their camera; {@code predicted} only
 * on frames the detector did not run on (the camera's {@code inferEvery}), whose boxes the tracker
 * predicted; {@code counts} lists the labels found, in label order; {@code latencyMs} is emit time
 * minus capture time. Each instance owns its ObjectMapper: create one per operator instance (in
 * {@code open()}), never a static one.
 */
public final class DetectionsJson {

    private static final String WHAT = "frames.detections JSON";

    /** The contract's version, written into every record (docs/detections.schema.json). */
    public static final int VERSION = 1;

    private final ObjectMapper mapper = JsonFields.newMapper();

    /** The JSON for {@code d}, with latencyMs = {@code emitTimeMs - d.captureTs()}. */
    public byte[] write(FrameDetections d, long emitTimeMs) {
        List<Detection> detections = d.detections() == null ? List.of() : d.detections();
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 128 * detections.size());
        try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("version", VERSION);
            g.writeStringField("camera", d.camera());
            g.writeNumberField("seq", d.seq());
            g.writeNumberField("captureTs", d.captureTs());
            g.writeNumberField("width", d.width());
            g.writeNumberField("height", d.height());
            g.writeStringField("model", d.model());
            if (d.modelVersion() != null) {
                g.writeStringField("modelVersion", d.modelVersion());
            }
            JsonFields.writeNumberField(g, "inferenceMs", d.inferenceMs());
            g.writeNumberField("latencyMs", emitTimeMs - d.captureTs());
            g.writeArrayFieldStart("detections");
            for (Detection det : detections) {
                writeDetection(g, det);
            }
            g.writeEndArray();
            g.writeObjectFieldStart("counts");
            for (Map.Entry<String, Integer> e : d.countByLabel().entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            if (d.predicted()) {
                g.writeBooleanField("predicted", true);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + WHAT, e); // in-memory: never
        }
        return out.toByteArray();
    }

    private static void writeDetection(JsonGenerator g, Detection det) throws IOException {
        g.writeStartObject();
        g.writeStringField("label", det.label());
        g.writeNumberField("classId", det.classId());
        g.writeFieldName("score");
        JsonFields.writeNumber(g, det.score());
        g.writeArrayFieldStart("box");
        JsonFields.writeNumber(g, det.x1());
        JsonFields.writeNumber(g, det.y1());
        JsonFields.writeNumber(g, det.x2());
        JsonFields.writeNumber(g, det.y2());
        g.writeEndArray();
        if (det.landmarks() != null) {
            g.writeArrayFieldStart("landmarks");
            for (float v : det.landmarks()) {
                JsonFields.writeNumber(g, v);
            }
            g.writeEndArray();
        }
        if (det.keypoints() != null) {
            // [[x, y, score], ...]: one small array per keypoint, in the model's order
            g.writeArrayFieldStart("keypoints");
            float[] k = det.keypoints();
            for (int i = 0; i + 2 < k.length; i += 3) {
                g.writeStartArray();
                JsonFields.writeNumber(g, k[i]);
                JsonFields.writeNumber(g, k[i + 1]);
                JsonFields.writeNumber(g, k[i + 2]);
                g.writeEndArray();
            }
            g.writeEndArray();
        }
        if (det.trackId() != Detection.NO_TRACK) {
            g.writeNumberField("trackId", det.trackId());
        }
        if (det.model() != null) {
            g.writeStringField("model", det.model());
        }
        if (!Float.isNaN(det.similarity())) {
            g.writeFieldName("similarity");
            JsonFields.writeNumber(g, det.similarity());
        }
        if (det.attributes() != null && det.attributes().length > 0) {
            g.writeArrayFieldStart("attributes");
            for (Attribute a : det.attributes()) {
                g.writeStartObject();
                g.writeStringField("model", a.model());
                g.writeStringField("label", a.label());
                g.writeFieldName("score");
                JsonFields.writeNumber(g, a.score());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    /** Parses what {@link #write} wrote; IOException names the field that is missing or wrong. */
    public DetectionsMessage read(byte[] json) throws IOException {
        JsonNode root = mapper.readTree(json);
        if (root == null || !root.isObject()) {
            throw new IOException(WHAT + " is not an object");
        }
        JsonNode array = required(root, "detections", WHAT);
        if (!array.isArray()) {
            throw new IOException(WHAT + " field 'detections' is not an array");
        }
        List<Detection> detections = new ArrayList<>(array.size());
        for (JsonNode n : array) {
            detections.add(readDetection(n));
        }
        FrameDetections d =
                new FrameDetections(
                        text(root, "camera", WHAT),
                        longValue(root, "seq", WHAT),
                        longValue(root, "captureTs", WHAT),
                        intValue(root, "width", WHAT),
                        intValue(root, "height", WHAT),
                        text(root, "model", WHAT),
                        doubleValue(root, "inferenceMs", WHAT),
                        detections,
                        root.path("predicted").asBoolean(false),
                        root.hasNonNull("modelVersion") ? root.get("modelVersion").asText() : null);
        Map<String, Integer> counts = new LinkedHashMap<>();
        JsonNode countsNode = root.get("counts");
        if (countsNode != null && countsNode.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = countsNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                counts.put(e.getKey(), intValue(countsNode, e.getKey(), WHAT + " counts"));
            }
        }
        return new DetectionsMessage(d, longValue(root, "latencyMs", WHAT), counts);
    }

    private static Detection readDetection(JsonNode n) throws IOException {
        String what = WHAT + " detection";
        JsonNode box = required(n, "box", what);
        if (!box.isArray() || box.size() != 4) {
            throw new IOException(what + " 'box' is not [x1,y1,x2,y2]: " + box);
        }
        float[] landmarks = null;
        JsonNode lm = n.get("landmarks");
        if (lm != null && !lm.isNull()) {
            if (!lm.isArray()) {
                throw new IOException(what + " 'landmarks' is not an array: " + lm);
            }
            landmarks = new float[lm.size()];
            for (int i = 0; i < landmarks.length; i++) {
                landmarks[i] = toFloat(lm.get(i), what + " landmark");
            }
        }
        return new Detection(
                text(n, "label", what),
                intValue(n, "classId", what),
                toFloat(required(n, "score", what), what + " 'score'"),
                toFloat(box.get(0), what + " box"),
                toFloat(box.get(1), what + " box"),
                toFloat(box.get(2), what + " box"),
                toFloat(box.get(3), what + " box"),
                landmarks,
                keypoints(n.get("keypoints"), what),
                n.hasNonNull("trackId") ? longValue(n, "trackId", what) : Detection.NO_TRACK,
                n.hasNonNull("similarity")
                        ? toFloat(n.get("similarity"), what + " 'similarity'")
                        : Float.NaN,
                n.hasNonNull("model") ? n.get("model").asText() : null,
                attributes(n.get("attributes"), what));
    }

    private static Attribute[] attributes(JsonNode array, String what) throws IOException {
        if (array == null || array.isNull()) {
            return null;
        }
        if (!array.isArray()) {
            throw new IOException(what + " 'attributes' is not an array: " + array);
        }
        Attribute[] out = new Attribute[array.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode a = array.get(i);
            String w = what + " attribute";
            out[i] =
                    new Attribute(
                            text(a, "model", w),
                            text(a, "label", w),
                            toFloat(required(a, "score", w), w + " 'score'"));
        }
        return out;
    }

    private static float[] keypoints(JsonNode kp, String what) throws IOException {
        if (kp == null || kp.isNull()) {
            return null;
        }
        if (!kp.isArray()) {
            throw new IOException(what + " 'keypoints' is not an array: " + kp);
        }
        float[] out = new float[kp.size() * 3];
        for (int i = 0; i < kp.size(); i++) {
            JsonNode p = kp.get(i);
            if (!p.isArray() || p.size() != 3) {
                throw new IOException(what + " keypoint is not [x, y, score]: " + p);
            }
            for (int j = 0; j < 3; j++) {
                out[i * 3 + j] = toFloat(p.get(j), what + " keypoint");
            }
        }
        return out;
    }
}
