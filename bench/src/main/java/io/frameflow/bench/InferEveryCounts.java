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
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/**
 * Part of scenario {@code tracking} (issue 16): the line and zone counts on the real clip when the
 * detector runs on every Nth frame only, side by side for N = 1, 2, 3, 5.
 */
final class InferEveryCounts {

    private InferEveryCounts() {}

    /**
     * The line and zone counts on the clip at inferEvery 1, 2, 3 and 5 (one camera, the job's
     * tracking operator, the clip's end ending every track), against the eye count of {@code
     * RealClipEventsTest}: six people, each leaving through the exit line once and visiting the
     * table zone once. At N > 1 with {@code matchThresh} 0.9, as docs/camera-settings.md advises.
     */
    static void print(List<FrameResult> clip) throws Exception {
        Table t =
                new Table(
                        "Line and zone counts at inferEvery N (issue 16): "
                                + TrackingCostScenario.CLIP
                                + " at 5 fps, one camera; by eye 6 exits (out), 6 table visits",
                        "inferEvery",
                        "exit crossings out / in",
                        "table entries",
                        "loiters",
                        "tracks in events",
                        "each exit's time vs N = 1 (most apart)");
        List<CameraEvent> reference = null;
        for (int n : new int[] {1, 2, 3, 5}) {
            List<CameraEvent> events = events(clip, n);
            long out = count(events, CameraEvent.Type.LINE_CROSS, CameraEvent.OUT);
            long in = count(events, CameraEvent.Type.LINE_CROSS, CameraEvent.IN);
            String apart = "–";
            List<CameraEvent> exits =
                    events.stream().filter(e -> e.type() == CameraEvent.Type.LINE_CROSS).toList();
            if (reference == null) {
                reference = exits;
            } else if (reference.size() == exits.size()) {
                long most = 0;
                for (int i = 0; i < exits.size(); i++) {
                    most =
                            Math.max(
                                    most,
                                    Math.abs(
                                            exits.get(i).captureTs()
                                                    - reference.get(i).captureTs()));
                }
                apart = most + " ms";
            } else {
                apart = "different count";
            }
            t.row(
                    String.valueOf(n),
                    out + " / " + in,
                    String.valueOf(count(events, CameraEvent.Type.ZONE_ENTER, null)),
                    String.valueOf(count(events, CameraEvent.Type.LOITER, null)),
                    String.valueOf(events.stream().map(CameraEvent::trackId).distinct().count()),
                    apart);
        }
        t.print();
    }

    private static long count(List<CameraEvent> events, CameraEvent.Type type, String direction) {
        return events.stream()
                .filter(e -> e.type() == type)
                .filter(e -> direction == null || direction.equals(e.direction()))
                .count();
    }

    /** The clip through the tracking operator at inferEvery {@code n}: the events it wrote. */
    private static List<CameraEvent> events(List<FrameResult> clip, int n) throws Exception {
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
                                Map.of("one-by-one", json.write(settings)),
                                Duration.ofMinutes(1)),
                        (InferenceResult.Detected d) -> d.frame().camera(),
                        Types.STRING,
                        TrackFunction.SETTINGS);
        try {
            h.processBroadcastWatermark(Long.MAX_VALUE);
            for (int i = 0; i < clip.size(); i++) {
                InferenceResult.Detected d =
                        TrackingCostScenario.detected("one-by-one", i, clip.get(i), i % n == 0);
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
