package io.frameflow.producer.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frameflow.records.json.WireRecords;
import io.frameflow.records.wire.FrameWire;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detections of the recorded frames: collects the detection records read alongside the frames
 * and keeps those whose camera and {@code seq} match a frame that was recorded.
 */
final class DetectionMatcher {

    private static final Logger LOG = LoggerFactory.getLogger(DetectionMatcher.class);

    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, Set<Long>> recordedSeqs = new HashMap<>();
    private final List<JsonNode> detections = new ArrayList<>();

    /** Notes that the frame {@code r} of {@code camera} was recorded. */
    void frameRecorded(String camera, ConsumerRecord<byte[], byte[]> r) {
        long seq = seqOf(r);
        if (seq >= 0) {
            recordedSeqs.computeIfAbsent(camera, c -> new HashSet<>()).add(seq);
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
        DetectionsWriter writer = new DetectionsWriter();
        for (JsonNode d : detections) {
            Set<Long> seqs = recordedSeqs.get(d.path("camera").asText());
            if (seqs != null && seqs.contains(d.path("seq").asLong(-1))) {
                writer.add(d);
            }
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
