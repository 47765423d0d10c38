package io.frameflow.producer.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frameflow.records.json.WireRecords;
import io.frameflow.records.wire.FrameWire;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detections of the recorded frames: collects the detection records read alongside the frames
 * and keeps those whose camera and {@code seq} match a frame that went into a video, one per frame,
 * in the order the frames were written (camera by camera). The job writes detections in the same
 * shuffled order as the frames, and a frame the recording dropped (late, duplicate) has none.
 */
final class DetectionMatcher {

    private static final Logger LOG = LoggerFactory.getLogger(DetectionMatcher.class);

    private final ObjectMapper mapper = new ObjectMapper();

    /** Per camera (in the order of their first frame): seq -> place in the camera's video. */
    private final Map<String, Map<Long, Long>> writtenSeqs = new LinkedHashMap<>();

    private final List<JsonNode> detections = new ArrayList<>();

    /** Notes that the frame {@code seq} of {@code camera} went into its video (-1: no seq). */
    void frameWritten(String camera, long seq) {
        Map<Long, Long> seqs = writtenSeqs.computeIfAbsent(camera, c -> new HashMap<>());
        if (seq >= 0) {
            seqs.putIfAbsent(seq, (long) seqs.size());
        }
    }

    /** Keeps the detections record {@code r} of {@code camera}; one that is not JSON is logged. */
    void collect(ConsumerRecord<byte[], byte[]> r, String camera) {
        try {
            JsonNode node = mapper.readTree(r.value());
            if (node instanceof ObjectNode obj) {
                if (!obj.hasNonNull("camera")) {
                    obj.put("camera", camera);
                }
                if (!obj.hasNonNull("seq") && seqOf(r) >= 0) {
                    obj.put("seq", seqOf(r));
                }
                detections.add(obj);
            }
        } catch (Exception e) {
            LOG.warn(
                    "Skipping a detections record that is not JSON (camera {}, offset {}): {}",
                    camera,
                    r.offset(),
                    e.getMessage());
        }
    }

    /**
     * Writes the detections of the recorded frames to {@code file} (.csv or .json).
     *
     * @return how many frames' detections were written
     */
    int write(Path file) throws IOException {
        List<String> cameras = new ArrayList<>(writtenSeqs.keySet());
        Map<String, Map<Long, JsonNode>> matched = new HashMap<>();
        long repeated = 0;
        for (JsonNode d : detections) {
            String camera = d.path("camera").asText();
            Map<Long, Long> seqs = writtenSeqs.get(camera);
            long seq = d.path("seq").asLong(-1);
            if (seqs != null && seqs.containsKey(seq)) {
                if (matched.computeIfAbsent(camera, c -> new HashMap<>()).putIfAbsent(seq, d)
                        != null) {
                    repeated++;
                }
            }
        }
        if (repeated > 0) {
            LOG.info("{} repeated detections record(s) of a recorded frame left out", repeated);
        }
        DetectionsWriter writer = new DetectionsWriter();
        for (String camera : cameras) {
            Map<Long, Long> place = writtenSeqs.get(camera);
            matched.getOrDefault(camera, Map.of()).entrySet().stream()
                    .sorted(Comparator.comparing(e -> place.get(e.getKey())))
                    .forEach(e -> writer.add(e.getValue()));
        }
        writer.write(file);
        return writer.frameCount();
    }

    /** The record's {@code seq} header, or -1 when it is missing or not a number. */
    static long seqOf(ConsumerRecord<byte[], byte[]> r) {
        String seq = WireRecords.header(r.headers(), FrameWire.HEADER_SEQ);
        if (seq == null) {
            return -1;
        }
        try {
            return Long.parseLong(seq.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
