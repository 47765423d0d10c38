package io.frameflow.operators.track;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.operators.inference.Detector;
import io.frameflow.operators.inference.DetectorSettings;
import io.frameflow.operators.inference.FrameResult;
import io.frameflow.operators.scene.SceneRules;
import io.frameflow.operators.scene.SceneState;
import io.frameflow.records.CameraEvent;
import io.frameflow.records.Detection;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.settings.CameraSettings;
import io.frameflow.records.settings.CameraSettingsJson;
import io.frameflow.testkit.ClipFrames;
import io.frameflow.testkit.SharedResources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lines and zones on a real clip, through the real detector and tracker: the events the job writes
 * for one camera, here without Kafka (the job-level test publishes the same clip).
 *
 * <p>{@code one-by-one-person-detection.mp4} (768x432, 10 fps) at 5 fps. By eye (a sheet of every
 * 10th frame, and every frame around each exit): six people, one at a time, each walks in from the
 * bottom edge to the little round table in the middle, stands at it with their back to the camera,
 * then walks off to the right, their feet passing x = 0.6 to 0.95 of the width near the bottom of
 * the picture; nobody walks in from or out to anywhere else, and nobody comes back. So a line at x
 * = 0.75 drawn top to bottom is crossed by each of them once, leaving, from its right side to its
 * left side ({@code out}); and a zone around the table where they stand is visited once by each.
 */
class RealClipEventsTest {

    private static final Logger LOG = LoggerFactory.getLogger(RealClipEventsTest.class);

    /** The line and zone this test places on the clip (docs/camera-settings.md). */
    static final String SETTINGS =
            "{\"site\":\"office\","
                    + "\"lines\":[{\"name\":\"exit\",\"points\":[[0.75,0.0],[0.75,1.0]]}],"
                    + "\"zones\":[{\"name\":\"table\",\"polygon\":[[0.3,0.6],[0.7,0.6],[0.7,1.0],"
                    + "[0.3,1.0]],\"loiterSeconds\":8}]}";

    @TempDir static Path frames;

    private static Detector detector;

    @BeforeAll
    static void openDetector() {
        ClipFrames.requireFfmpeg();
        detector =
                Detector.open(
                        DetectorSettings.forModel(SharedResources.model("yolox_nano.onnx"))
                                .device("cpu")
                                .threads(1, 1)
                                .scoreThreshold(0.1f)
                                .classFilter(List.of("person"))
                                .build());
    }

    @AfterAll
    static void closeDetector() {
        if (detector != null) {
            detector.close();
        }
    }

    @Test
    void sixPeopleLeaveThroughTheExitOnceEachAndVisitTheTableOnceEach() throws Exception {
        CameraSettings settings =
                new CameraSettingsJson().parse(SETTINGS.getBytes(StandardCharsets.UTF_8));
        Path dir = Files.createDirectories(frames.resolve("one-by-one"));
        List<byte[]> jpegs = ClipFrames.decode("one-by-one-person-detection.mp4", dir, 2);
        assertThat(jpegs).hasSize(697);

        ByteTracker tracker = new ByteTracker(TrackerSettings.DEFAULTS);
        SceneRules rules = new SceneRules();
        SceneState scene = new SceneState();
        List<CameraEvent> events = new ArrayList<>();
        for (int i = 0; i < jpegs.size(); i++) {
            FrameResult r = detector.detect(jpegs.get(i));
            long ts = i * 200L; // every 2nd frame of 10 fps
            List<Detection> dets = r.detections();
            long[] ids = tracker.update(dets, ts, r.width(), r.height()).trackIds();
            List<Detection> tracked = new ArrayList<>();
            for (int k = 0; k < dets.size(); k++) {
                tracked.add(ids[k] > 0 ? dets.get(k).withTrackId(ids[k]) : dets.get(k));
            }
            events.addAll(
                    rules.update(
                                    settings,
                                    new FrameDetections(
                                            "one-by-one",
                                            i,
                                            ts,
                                            r.width(),
                                            r.height(),
                                            "m",
                                            0,
                                            tracked),
                                    TrackerSettings.DEFAULTS.trackBufferMs(),
                                    scene)
                            .events());
        }
        events.addAll(rules.endAll(settings, "one-by-one", scene));
        events.forEach(e -> LOG.info("one-by-one event: {}", e));

        // every person leaves once, through the exit, outwards
        List<CameraEvent> crossings = of(events, CameraEvent.Type.LINE_CROSS);
        assertThat(crossings).hasSize(6);
        assertThat(crossings).extracting(CameraEvent::direction).containsOnly(CameraEvent.OUT);
        assertThat(crossings).extracting(CameraEvent::trackId).doesNotHaveDuplicates();

        // one visit of the table per person, over the seconds they stand there by eye (fully in
        // the picture, RealClipTrackingTest): entered while walking in (at most 3 s before),
        // left while walking off (at most 2 s after), 8 s loitering reached once per visit
        int[][] byEye = {{8, 18}, {24, 43}, {52, 68}, {76, 85}, {94, 118}, {125, 134}};
        List<CameraEvent> enters = of(events, CameraEvent.Type.ZONE_ENTER);
        List<CameraEvent> exits = of(events, CameraEvent.Type.ZONE_EXIT);
        assertThat(enters).hasSize(6);
        assertThat(exits).hasSize(6);
        assertThat(of(events, CameraEvent.Type.LOITER)).hasSize(6);
        for (int k = 0; k < 6; k++) {
            CameraEvent in = enters.get(k);
            CameraEvent out = exits.get(k);
            assertThat(out.trackId()).isEqualTo(in.trackId());
            assertThat(in.captureTs())
                    .as("person %d enters", k + 1)
                    .isBetween((byEye[k][0] - 3) * 1000L, byEye[k][0] * 1000L);
            assertThat(out.captureTs())
                    .as("person %d leaves", k + 1)
                    .isBetween(byEye[k][1] * 1000L, (byEye[k][1] + 2) * 1000L);
            assertThat(out.dwellMs()).isEqualTo(out.captureTs() - in.captureTs());
            assertThat(crossings.get(k).trackId()).isEqualTo(in.trackId());
            assertThat(Math.abs(crossings.get(k).captureTs() - out.captureTs()))
                    .as("person %d crosses the exit as they leave the table", k + 1)
                    .isLessThanOrEqualTo(1000);
        }
    }

    private static List<CameraEvent> of(List<CameraEvent> events, CameraEvent.Type type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }
}
