package io.frameflow.bench;

import io.frameflow.operators.inference.FrameResult;
import io.frameflow.operators.inference.InferenceResult;
import io.frameflow.operators.track.TrackFunction;
import io.frameflow.operators.track.TrackerSettings;
import io.frameflow.records.CameraEvent;
import io.frameflow.records.settings.CameraSettings;
import io.frameflow.records.settings.CameraSettingsJson;
import io.frameflow.records.settings.TrackerOverrides;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/**
 * Part of scenarios {@code tracking} and {@code infer-every} (issue 16): the line and zone counts
 * on the real clip when the detector runs on every Nth frame only, side by side for N = 1, 2, 3, 5.
 */
final class InferEveryCounts {

    /** The N of the issue's table; a run may add others. */
    static final List<Integer> ISSUE_NS = List.of(1, 2, 3, 5);

    private final String model;

    /** Per N, the events of the clip for each phase 0..N-1; N = 1 first. */
    private final Map<Integer, List<List<CameraEvent>>> byPhase = new TreeMap<>();

    private InferEveryCounts(String model) {
        this.model = model;
    }

    /**
     * The clip's events at inferEvery 1 and every N of {@code ns} (one camera, the job's tracking
     * operator, the clip's end ending every track), for each phase (which of the N frames is
     * inferred: a camera's comes from its id, {@link CameraSettings#inferPhase}). At N > 1 with
     * {@code matchThresh} 0.9, as docs/camera-settings.md advises.
     */
    static InferEveryCounts of(List<FrameResult> clip, String model, Collection<Integer> ns)
            throws Exception {
        InferEveryCounts counts = new InferEveryCounts(model);
        Set<Integer> all = new TreeSet<>(ns);
        all.add(1); // the reference the others' exit times are set against
        for (int n : all) {
            List<List<CameraEvent>> phases = new ArrayList<>();
            for (int phase = 0; phase < n; phase++) {
                phases.add(events(clip, n, phase));
            }
            counts.byPhase.put(n, phases);
        }
        return counts;
    }

    /**
     * The counts against the eye count of {@code RealClipEventsTest}: six people, each leaving
     * through the exit line once and visiting the table zone once; the phase this clip's camera id
     * gets marked.
     */
    void print() {
        Table t =
                new Table(
                        "Line and zone counts at inferEvery N (issue 16): "
                                + TrackingCostScenario.CLIP
                                + " at 5 fps, one camera, "
                                + model
                                + "; by eye 6 exits (out), 6 table visits",
                        "inferEvery (phase)",
                        "exit crossings out / in",
                        "table entries",
                        "loiters",
                        "tracks in events",
                        "each exit's time vs N = 1 (most apart)");
        List<CameraEvent> reference = exits(byPhase.get(1).get(0));
        byPhase.forEach(
                (n, phases) -> {
                    int own = CameraSettings.builder().inferEvery(n).build().inferPhase(CAMERA);
                    for (int phase = 0; phase < n; phase++) {
                        List<CameraEvent> events = phases.get(phase);
                        String label =
                                n == 1
                                        ? "1"
                                        : n
                                                + " ("
                                                + phase
                                                + (phase == own ? ", " + CAMERA + "'s)" : ")");
                        t.row(
                                label,
                                count(events, CameraEvent.Type.LINE_CROSS, CameraEvent.OUT)
                                        + " / "
                                        + count(
                                                events,
                                                CameraEvent.Type.LINE_CROSS,
                                                CameraEvent.IN),
                                String.valueOf(count(events, CameraEvent.Type.ZONE_ENTER, null)),
                                String.valueOf(count(events, CameraEvent.Type.LOITER, null)),
                                String.valueOf(
                                        events.stream()
                                                .map(CameraEvent::trackId)
                                                .distinct()
                                                .count()),
                                n == 1 ? "–" : mostApart(reference, exits(events)));
                    }
                });
        t.print();
    }

    /**
     * N's exits (out) and table entries over all its phases, as one cell: {@code 6 / 6} when every
     * phase counts the same, else each count's min–max over the phases.
     */
    String overPhases(int n) {
        LongSummaryStatistics exits = new LongSummaryStatistics();
        LongSummaryStatistics entries = new LongSummaryStatistics();
        for (List<CameraEvent> events : byPhase.get(n)) {
            exits.accept(count(events, CameraEvent.Type.LINE_CROSS, CameraEvent.OUT));
            entries.accept(count(events, CameraEvent.Type.ZONE_ENTER, null));
        }
        return range(exits) + " / " + range(entries);
    }

    private static String range(LongSummaryStatistics s) {
        return s.getMin() == s.getMax()
                ? String.valueOf(s.getMin())
                : s.getMin() + "–" + s.getMax();
    }

    private static List<CameraEvent> exits(List<CameraEvent> events) {
        return events.stream().filter(e -> e.type() == CameraEvent.Type.LINE_CROSS).toList();
    }

    /** How far apart in capture time the same crossings are, or that their counts differ. */
    private static String mostApart(List<CameraEvent> reference, List<CameraEvent> exits) {
        if (reference.size() != exits.size()) {
            return "different count";
        }
        long most = 0;
        for (int i = 0; i < exits.size(); i++) {
            most =
                    Math.max(
                            most,
                            Math.abs(exits.get(i).captureTs() - reference.get(i).captureTs()));
        }
        return most + " ms";
    }

    private static long count(List<CameraEvent> events, CameraEvent.Type type, String direction) {
        return events.stream()
                .filter(e -> e.type() == type)
                .filter(e -> direction == null || direction.equals(e.direction()))
                .count();
    }

    private static final String CAMERA = "one-by-one";

    /**
     * The clip through the tracking operator at inferEvery {@code n}, inferring the frames whose
     * seq + {@code phase} is a multiple of n: the events it wrote.
     */
    private static List<CameraEvent> events(List<FrameResult> clip, int n, int phase)
            throws Exception {
        CameraSettingsJson json = new CameraSettingsJson();
        CameraSettings settings =
                CameraSettings.builder()
                        .inferEvery(n)
                        .tracker(
                                n > 1
                                        ? new TrackerOverrides(null, null, null, 0.9, null, null)
                                        : TrackerOverrides.NONE)
                        .build()
                        .orElse(
                                json.parse(
                                        TrackingCostScenario.SETTINGS.getBytes(
                                                StandardCharsets.UTF_8)));
        var h =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        new TrackFunction(
                                TrackerSettings.DEFAULTS,
                                true,
                                Map.of(CAMERA, json.write(settings)),
                                Duration.ofMinutes(1)),
                        (InferenceResult.Detected d) -> d.frame().camera(),
                        Types.STRING,
                        TrackFunction.SETTINGS);
        try {
            h.processBroadcastWatermark(Long.MAX_VALUE);
            for (int i = 0; i < clip.size(); i++) {
                InferenceResult.Detected d =
                        TrackingCostScenario.detected(
                                CAMERA, i, clip.get(i), Math.floorMod(i + phase, n) == 0);
                h.processElement(new StreamRecord<>(d, d.frame().captureTs()));
            }
            h.processWatermark(Long.MAX_VALUE); // the camera stops: its tracks end
            var side = h.getSideOutput(TrackFunction.EVENTS);
            return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
        } finally {
            h.close();
        }
    }
}
