package io.frameflow.operators.track;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.operators.inference.InferenceResult;
import io.frameflow.operators.stats.FrameSample;
import io.frameflow.records.CameraEvent;
import io.frameflow.records.Detection;
import io.frameflow.records.Frame;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.settings.SettingsUpdate;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tracker in keyed state: ids on the detections, across a restore, never starting again. */
class TrackFunctionTest {

    private KeyedBroadcastOperatorTestHarness<
                    String, InferenceResult.Detected, SettingsUpdate, InferenceResult.Detected>
            harness;

    @BeforeEach
    void open() throws Exception {
        harness = harness();
        harness.processBroadcastWatermark(Long.MAX_VALUE); // as the job's settings source does
    }

    private static KeyedBroadcastOperatorTestHarness<
                    String, InferenceResult.Detected, SettingsUpdate, InferenceResult.Detected>
            harness() throws Exception {
        KeyedBroadcastOperatorTestHarness<
                        String, InferenceResult.Detected, SettingsUpdate, InferenceResult.Detected>
                h =
                        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                                new TrackFunction(TrackerSettings.DEFAULTS),
                                d -> d.frame().camera(),
                                Types.STRING,
                                TrackFunction.SETTINGS);
        return h;
    }

    private static KeyedBroadcastOperatorTestHarness<
                    String, InferenceResult.Detected, SettingsUpdate, InferenceResult.Detected>
            restored(OperatorSubtaskState snapshot) throws Exception {
        KeyedBroadcastOperatorTestHarness<
                        String, InferenceResult.Detected, SettingsUpdate, InferenceResult.Detected>
                h =
                        new KeyedBroadcastOperatorTestHarness<>(
                                new CoBroadcastWithKeyedOperator<>(
                                        new TrackFunction(TrackerSettings.DEFAULTS),
                                        List.of(TrackFunction.SETTINGS)),
                                d -> d.frame().camera(),
                                Types.STRING,
                                1,
                                1,
                                0);
        h.setup();
        h.initializeState(snapshot);
        h.open();
        h.processBroadcastWatermark(Long.MAX_VALUE);
        return h;
    }

    private void settings(String key, String json) throws Exception {
        harness.processBroadcastElement(
                new SettingsUpdate(
                        key.getBytes(StandardCharsets.UTF_8),
                        json == null ? null : json.getBytes(StandardCharsets.UTF_8),
                        "frames.config",
                        0,
                        0),
                0);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    /** Frame {@code seq} of {@code camera} (33 ms apart) with one person per x offset given. */
    private void frame(String camera, long seq, float... xs) throws Exception {
        frameArriving(camera, seq, 1_000_000 + seq * 33, xs);
    }

    /** Frame {@code seq} read from Kafka at {@code arrival} (its Flink timestamp). */
    private void frameArriving(String camera, long seq, long arrival, float... xs)
            throws Exception {
        long ts = 1_000_000 + seq * 33;
        List<Detection> dets = new ArrayList<>();
        for (float x : xs) {
            float dx = x + seq * 4; // walking right, 4 px a frame
            dets.add(new Detection("person", 0, 0.9f, dx, 100, dx + 60, 260, null));
        }
        Frame f = new Frame(camera, seq, ts, Frame.JPEG, new byte[0], "t", 0, seq);
        harness.processElement(
                new StreamRecord<>(
                        new InferenceResult.Detected(
                                f, new FrameDetections(camera, seq, ts, 640, 480, "m", 1, dets)),
                        arrival));
    }

    private List<Long> lastIds() {
        List<InferenceResult.Detected> out = harness.extractOutputValues();
        return out.get(out.size() - 1).detections().detections().stream()
                .map(Detection::trackId)
                .toList();
    }

    @Test
    void detectionsOnConfirmedTracksCarryTheirIdsFrameAfterFrame() throws Exception {
        frame("cam", 0, 50, 400);
        assertThat(lastIds()).containsOnly(Detection.NO_TRACK); // not confirmed yet
        frame("cam", 1, 50, 400);
        List<Long> ids = lastIds();
        assertThat(ids).doesNotContain(Detection.NO_TRACK).doesNotHaveDuplicates();
        for (long seq = 2; seq < 20; seq++) {
            frame("cam", seq, 50, 400);
            assertThat(lastIds()).isEqualTo(ids);
        }
        frame("other", 0, 50);
        frame("other", 1, 50);
        assertThat(lastIds()).containsExactly(1L); // ids are per camera
    }

    @Test
    void aCamerasSettingsChooseWhatIsTrackedFromTheNextFrameOnAndABadDocumentChangesNothing()
            throws Exception {
        frame("cam", 0, 50, 400);
        frame("cam", 1, 50, 400);
        assertThat(lastIds()).hasSize(2);
        // the right half of the frame is masked: the person at x >= 400 is ignored
        settings("cam", "{\"masks\":[[[0.5,0.0],[1.0,0.0],[1.0,1.0],[0.5,1.0]]]}");
        frame("cam", 2, 50, 400);
        assertThat(lastIds()).hasSize(1);
        // a document with a typo is refused, dead-lettered with its reason, and changes nothing
        settings("cam", "{\"clases\":[\"car\"]}");
        frame("cam", 3, 50, 400);
        assertThat(lastIds()).hasSize(1);
        assertThat(harness.getSideOutput(TrackFunction.REFUSED))
                .singleElement()
                .satisfies(r -> assertThat(r.getValue().reasonCode()).isEqualTo("unknown-field"));
        // defaults for every camera: only cars; the camera's own mask still applies
        settings("*", "{\"classes\":[\"car\"]}");
        frame("cam", 4, 50, 400);
        assertThat(lastIds()).isEmpty();
        // the camera's settings removed (tombstone) and the defaults' too: everything again
        settings("cam", null);
        settings("*", null);
        frame("cam", 5, 50, 400);
        assertThat(lastIds()).hasSize(2);
    }

    @Test
    void idsSurviveARestoreAndNeverStartAgainAfterTheCameraWentQuiet() throws Exception {
        frame("cam", 0, 50);
        frame("cam", 1, 50);
        List<Long> before = lastIds();
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        harness = restored(snapshot);
        frame("cam", 2, 50);
        assertThat(lastIds()).as("same object, same id after the restore").isEqualTo(before);

        // the camera goes quiet: its tracks are cleared, its id counter is not
        harness.processWatermark(new Watermark(1_000_000 + 60_000));
        assertThat(harness.numEventTimeTimers()).isZero();
        frame("cam", 5_000, 50);
        frame("cam", 5_001, 50);
        assertThat(lastIds()).containsExactly(before.get(0) + 1);
    }

    @Test
    void aFailoverDoesNotEndTracksThatTheReplayedFramesContinue() throws Exception {
        harness.setProcessingTime(1_000_000);
        frame("cam", 0, 50);
        frame("cam", 1, 50);
        List<Long> before = lastIds();
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        // back 30 s later: the wall-clock watermark is past the restored clear timer at once,
        // before the frames since the checkpoint are read again
        harness = restored(snapshot);
        harness.setProcessingTime(1_030_000);
        harness.processWatermark(new Watermark(1_030_000));
        frameArriving("cam", 2, 1_031_000, 50);
        assertThat(lastIds()).as("the replayed frame continues its track").isEqualTo(before);

        // a camera that really went quiet is cleared once the job has run for the grace
        harness.setProcessingTime(1_100_000);
        harness.processWatermark(new Watermark(1_100_000));
        assertThat(harness.numEventTimeTimers()).isZero();
        frameArriving("cam", 3_000, 1_101_000, 50);
        frameArriving("cam", 3_001, 1_101_040, 50);
        assertThat(lastIds()).containsExactly(before.get(0) + 1);
    }

    @Test
    void aFrameTheDetectorSkippedGetsThePredictedBoxesAndLeavesTheTrackerAsItWas()
            throws Exception {
        for (long seq = 0; seq < 5; seq++) {
            frame("cam", seq, 50, 400);
        }
        List<Long> ids = lastIds();
        // seq 5 skipped by inferEvery: no detections of its own, marked predicted
        long ts = 1_000_000 + 5 * 33;
        harness.processElement(
                new StreamRecord<>(
                        new InferenceResult.Detected(
                                new Frame("cam", 5, ts, Frame.JPEG, new byte[0], "t", 0, 5),
                                new FrameDetections(
                                        "cam", 5, ts, 640, 480, "tracker", 0, List.of(), true)),
                        ts));
        FrameDetections predicted = lastFrame();
        assertThat(predicted.predicted()).isTrue();
        assertThat(predicted.detections()).extracting(Detection::trackId).isEqualTo(ids);
        assertThat(predicted.detections()).extracting(Detection::label).containsOnly("person");
        // both walk right 4 px a frame: the motion model carries them on (x1 was 50 + 4 * 4)
        assertThat(predicted.detections().get(0).x1()).isBetween(66f, 72f);
        frame("cam", 6, 50, 400);
        assertThat(lastIds()).isEqualTo(ids);
    }

    @Test
    void anUnchangedFrameKeepsTheBoxesWhereTheLastInferredFrameLeftThem() throws Exception {
        for (long seq = 0; seq < 5; seq++) {
            frame("cam", seq, 50, 400);
        }
        List<Long> ids = lastIds();
        // seqs 5 and 6 (0.4 s later) skipped as unchanged: nothing moved, so the motion model
        // must not carry the walking boxes on; both keep them where seq 4 left them (x1 66)
        List<Float> x1 = new ArrayList<>();
        for (long seq = 5; seq <= 6; seq++) {
            long ts = 1_000_000 + 4 * 33 + (seq - 4) * 400;
            harness.processElement(
                    new StreamRecord<>(
                            new InferenceResult.Detected(
                                    new Frame("cam", seq, ts, Frame.JPEG, new byte[0], "t", 0, seq),
                                    new FrameDetections(
                                            "cam",
                                            seq,
                                            ts,
                                            640,
                                            480,
                                            "unchanged",
                                            0,
                                            List.of(),
                                            true)),
                            ts));
            FrameDetections unchanged = lastFrame();
            assertThat(unchanged.predicted()).isTrue();
            assertThat(unchanged.detections()).extracting(Detection::trackId).isEqualTo(ids);
            x1.add(unchanged.detections().get(0).x1());
        }
        assertThat(x1.get(1)).isEqualTo(x1.get(0));
        assertThat(x1.get(0)).isBetween(64f, 68f);
    }

    private FrameDetections lastFrame() {
        List<InferenceResult.Detected> out = harness.extractOutputValues();
        return out.get(out.size() - 1).detections();
    }

    @Test
    void aLineAddedAndMovedThroughTheSettingsTopicCountsFromTheNextFrame() throws Exception {
        // the person's anchor starts at x = 80 px and walks right 4 px a frame (640 px frame)
        for (long seq = 0; seq < 10; seq++) {
            frame("cam", seq, 50); // no line yet: anchor 80..116 px
        }
        settings("cam", "{\"lines\":[{\"name\":\"door\",\"points\":[[0.25,0.0],[0.25,1.0]]}]}");
        for (long seq = 10; seq < 30; seq++) {
            frame("cam", seq, 50); // crosses x = 160 px (+16 px dead band) at seq 24
        }
        // moved ahead of the person: x = 0.4 (256 px), crossed (+16 px) at seq 48
        settings("cam", "{\"lines\":[{\"name\":\"door\",\"points\":[[0.4,0.0],[0.4,1.0]]}]}");
        settings("cam", "{\"lines\":[{\"name\":\"door\",\"points\":[[0.4,0.0]]}]}"); // refused
        for (long seq = 30; seq < 50; seq++) {
            frame("cam", seq, 50);
        }
        assertThat(events())
                .extracting(e -> e.name() + " " + e.direction() + " " + e.seq())
                .containsExactly("door out 24", "door out 48");
        assertThat(harness.getSideOutput(TrackFunction.REFUSED)).hasSize(1);
    }

    @Test
    void lineAndZoneEventsComeOnceAcrossARestoreAndAQuietCameraLeavesItsZones() throws Exception {
        // a door at x = 160 px drawn downwards, and the left half of the 640 px frame as a zone;
        // the person's anchor starts at x = 80 px and walks right 4 px a frame
        settings(
                "cam",
                "{\"site\":\"s1\",\"lines\":[{\"name\":\"door\",\"points\":[[0.25,0.0],[0.25,1.0]]}],"
                        + "\"zones\":[{\"name\":\"hall\",\"polygon\":[[0.0,0.0],[0.5,0.0],[0.5,1.0],[0.0,1.0]]}]}");
        for (long seq = 0; seq < 15; seq++) {
            frame("cam", seq, 50);
        }
        List<CameraEvent> events = new ArrayList<>(events());
        // one stats sample per frame: in the zone from its first confirmed frame, one track
        List<FrameSample> samples =
                harness.getSideOutput(TrackFunction.FRAME_SAMPLES).stream()
                        .map(StreamRecord::getValue)
                        .toList();
        assertThat(samples).hasSize(15);
        assertThat(samples)
                .extracting(f -> f.scene().zoneOccupancy().get("hall"))
                .containsExactly(0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        assertThat(samples.get(14).scene().tracks().get("person")).containsExactly(1L);
        assertThat(samples.get(14).scene().site()).isEqualTo("s1");
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        harness = restored(snapshot);
        for (long seq = 15; seq < 30; seq++) {
            frame("cam", seq, 50);
        }
        assertThat(harness.getSideOutput(TrackFunction.FRAME_SAMPLES))
                .filteredOn(r -> r.getValue().captureTs() == 1_000_000 + 24 * 33)
                .singleElement()
                .satisfies(
                        r -> assertThat(r.getValue().scene().lineOut()).containsEntry("door", 1));
        harness.processWatermark(new Watermark(1_000_000 + 60_000)); // the camera went quiet
        events.addAll(events());

        // entered on its first confirmed frame (seq 1); crossed when 16 px (a tenth of its
        // 160 px box) past the door: anchor 176 px at seq 24; left the zone when its tracks were
        // cleared, at its last sighting (seq 29)
        assertThat(events)
                .extracting(e -> e.type().wireName() + " " + e.name() + " " + e.seq())
                .containsExactly("zone-enter hall 1", "line-cross door 24", "zone-exit hall 29");
        assertThat(events.get(1).direction()).isEqualTo(CameraEvent.OUT);
        assertThat(events.get(2).dwellMs()).isEqualTo(28 * 33L);
        assertThat(events).allSatisfy(e -> assertThat(e.site()).isEqualTo("s1"));
        assertThat(events).extracting(CameraEvent::trackId).containsOnly(1L);
    }

    private List<CameraEvent> events() {
        var out = harness.getSideOutput(TrackFunction.EVENTS);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }
}
