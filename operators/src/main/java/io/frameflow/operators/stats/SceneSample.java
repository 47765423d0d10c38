package io.frameflow.operators.stats;

import io.frameflow.records.CameraEvent;
import io.frameflow.records.Detection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one frame adds to its window's lines, zones and tracks ({@code WindowStats.SceneStats}):
 * crossings and entries decided on it, how many tracks were in each zone after it, and the track
 * ids on it by class. Made by the tracking operator ({@code SceneRules.SceneResult#sample}).
 *
 * @param site the camera's site, or null
 * @param lineIn per line: {@code in} crossings on this frame
 * @param lineOut per line: {@code out} crossings on this frame
 * @param zoneEntries per zone: visits begun on this frame
 * @param zoneOccupancy per zone of the camera: tracks inside after this frame (0 included)
 * @param tracks per class: the track ids on this frame
 */
public record SceneSample(
        String site,
        Map<String, Integer> lineIn,
        Map<String, Integer> lineOut,
        Map<String, Integer> zoneEntries,
        Map<String, Integer> zoneOccupancy,
        Map<String, long[]> tracks) {

    public SceneSample {
        lineIn = lineIn == null ? Map.of() : lineIn;
        lineOut = lineOut == null ? Map.of() : lineOut;
        zoneEntries = zoneEntries == null ? Map.of() : zoneEntries;
        zoneOccupancy = zoneOccupancy == null ? Map.of() : zoneOccupancy;
        tracks = tracks == null ? Map.of() : tracks;
    }

    /**
     * The sample of one frame.
     *
     * @param events the events decided on it
     * @param occupancy tracks per zone after it (every zone of the camera)
     * @param detections its detections, with track ids
     */
    public static SceneSample of(
            String site,
            List<CameraEvent> events,
            Map<String, Integer> occupancy,
            List<Detection> detections) {
        Map<String, Integer> in = new TreeMap<>();
        Map<String, Integer> out = new TreeMap<>();
        Map<String, Integer> entries = new TreeMap<>();
        for (CameraEvent e : events) {
            switch (e.type()) {
                case LINE_CROSS ->
                        (CameraEvent.IN.equals(e.direction()) ? in : out)
                                .merge(e.name(), 1, Integer::sum);
                case ZONE_ENTER -> entries.merge(e.name(), 1, Integer::sum);
                default -> {}
            }
        }
        Map<String, List<Long>> byLabel = new TreeMap<>();
        for (Detection d : detections) {
            if (d.trackId() != Detection.NO_TRACK) {
                byLabel.computeIfAbsent(d.label(), k -> new ArrayList<>()).add(d.trackId());
            }
        }
        Map<String, long[]> tracks = new TreeMap<>();
        byLabel.forEach(
                (label, ids) ->
                        tracks.put(label, ids.stream().mapToLong(Long::longValue).toArray()));
        return new SceneSample(site, in, out, entries, occupancy, tracks);
    }
}
