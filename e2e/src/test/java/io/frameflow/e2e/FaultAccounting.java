package io.frameflow.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads the job's committed output back for the fault tests: detections by camera + seq, stats
 * windows by camera + window start, and what each says about every published frame.
 */
final class FaultAccounting {

    /** One {@code frames.stats} record. */
    record Window(String camera, long start, long frames, long dropped) {
        String key() {
            return windowKey(camera, start);
        }
    }

    /** The detections records, as {@code camera#seq} in topic order (duplicates kept). */
    final List<String> detections = new ArrayList<>();

    /** The stats records in topic order (duplicates kept). */
    final List<Window> windows = new ArrayList<>();

    long deadLettered;

    static String frameKey(String camera, long seq) {
        return camera + "#" + seq;
    }

    static String windowKey(String camera, long start) {
        return camera + "@" + start;
    }

    static long windowStart(long ts, Duration window) {
        return ts - Math.floorMod(ts, window.toMillis());
    }

    void addDetections(List<ConsumerRecord<byte[], byte[]>> records) throws IOException {
        for (ConsumerRecord<byte[], byte[]> r : records) {
            JsonNode d = Project.JSON.readTree(r.value());
            detections.add(frameKey(d.path("camera").asText(), d.path("seq").asLong()));
        }
    }

    void addStats(List<ConsumerRecord<byte[], byte[]>> records) throws IOException {
        for (ConsumerRecord<byte[], byte[]> r : records) {
            JsonNode s = Project.JSON.readTree(r.value());
            windows.add(
                    new Window(
                            s.path("camera").asText(),
                            s.path("windowStart").asLong(),
                            s.path("frames").asLong(),
                            s.path("dropped").asLong()));
        }
    }

    /** Detections records beyond the first of their camera + seq. */
    long duplicatedDetections() {
        return detections.size() - new HashSet<>(detections).size();
    }

    /** Stats windows (camera@start) emitted more than once. */
    List<String> duplicatedWindows() {
        Set<String> seen = new HashSet<>();
        List<String> out = new ArrayList<>();
        for (Window w : windows) {
            if (!seen.add(w.key())) {
                out.add(w.key());
            }
        }
        return out;
    }

    /**
     * camera@start -> "F inferred / D dropped", of the windows starting before {@code before} (a
     * window emitted twice shows its last record; {@link #duplicatedWindows} reports it).
     */
    Map<String, String> windowsBefore(long before) {
        Map<String, String> out = new TreeMap<>();
        for (Window w : windows) {
            if (w.start() < before) {
                out.put(w.key(), inferredDropped(w.frames(), w.dropped()));
            }
        }
        return out;
    }

    static String inferredDropped(long inferred, long dropped) {
        return inferred + " inferred / " + dropped + " dropped";
    }

    /** Frames counted as dropped in the windows starting before {@code before}. */
    long dropped(long before) {
        return windows.stream().filter(w -> w.start() < before).mapToLong(Window::dropped).sum();
    }

    /** Frames inferred in the windows starting before {@code before}. */
    long framesInWindows(long before) {
        return windows.stream().filter(w -> w.start() < before).mapToLong(Window::frames).sum();
    }
}
