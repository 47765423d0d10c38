package io.frameflow.operators.track;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.operators.inference.Detector;
import io.frameflow.operators.inference.FrameResult;
import io.frameflow.records.Detection;
import io.frameflow.testkit.ClipFrames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracker behind the real detector (YOLOX-Nano on the CPU, person class, boxes down to score
 * 0.1 so the second stage has low-score boxes to work with) on the real clips under {@code
 * media/video/}, decoded frame by frame with ffmpeg ({@link ClipFrames}), capture time = frame
 * index / fps. Default {@link TrackerSettings}.
 *
 * <p>The expected numbers are people counted by eye (by the author of this test), not the
 * detector's output: contact sheets of the clips were made with {@code ffmpeg -vf
 * "select=not(mod(n\,K)),drawtext=text=%{n},scale=...,tile=..."} (one-by-one: one frame per second,
 * K = 10; store-aisle: every 2nd frame; the short clips: every 4th frame) and the distinct people
 * told apart by their clothes. Each count agrees with {@code media/README.md}.
 *
 * <p>Left out: {@code person-bicycle-car-detection.mp4} (2 persons by eye, tiny from high above):
 * YOLOX-Nano gives the pedestrian 0.52-0.55 in the first two frames and nothing person-like after,
 * so there is nothing to track. The JPEGs under {@code media/frames/} are every 3rd to 50th frame
 * and are not used.
 */
class RealClipTrackingTest {

    private static final Logger LOG = LoggerFactory.getLogger(RealClipTrackingTest.class);

    @TempDir static Path frames;

    private static Detector detector;

    /** The detections of one decoded frame, and its index in the clip. */
    record Frame(int index, List<Detection> detections, int width, int height) {}

    /** One track's first and last frame index and the number of frames it had an id in. */
    record Span(long id, int first, int last, int frames) {}

    @BeforeAll
    static void openDetector() {
        detector = ClipPersonDetector.open();
    }

    @AfterAll
    static void closeDetector() {
        if (detector != null) {
            detector.close();
        }
    }

    /**
     * People walk into a room one at a time (10 fps, 1394 frames, 139 s), at 5 fps (every 2nd
     * frame, as a camera capped by the drop policy would send) and at 1 fps (every 10th).
     *
     * <p>By eye, from a sheet of one frame per second: six different people, each walking in from
     * the bottom edge, standing, and leaving to the right; the room is empty for 3-7 s between
     * them. Seconds (frame / 10) in which each one is fully in the picture: grey long cardigan
     * 8-18, black hoodie 24-43, blonde all in black 52-68, black T-shirt 76-85, grey patterned
     * cardigan 94-118, light grey shirt 125-134. README eye counts of the frames/ JPEGs: nobody in
     * f0, f50, f200, f450, f500, f700, f900, f1200, one person in the other 20 of f0..f1350.
     *
     * <p>With default settings the tracker gives exactly six ids at 5 fps; the same six (spans
     * within a frame or two) came out at the full 10 fps while writing this test, which takes twice
     * as long and is not run here.
     */
    @Test
    void oneByOneSixPeopleSixIds() throws Exception {
        List<Frame> fiveFps = detect("one-by-one-person-detection.mp4", 2);
        assertThat(fiveFps).hasSize(697);
        int[][] byEye = {{8, 18}, {24, 43}, {52, 68}, {76, 85}, {94, 118}, {125, 134}};
        List<long[]> ids = track(fiveFps, 10, TrackerSettings.DEFAULTS);
        Map<Long, Span> spans = spans(fiveFps, ids);
        LOG.info("one-by-one at 5 fps: {}", spans.values());
        assertThat(spans).hasSize(6);
        List<Span> inOrder = new ArrayList<>(spans.values());
        for (int k = 0; k < byEye.length; k++) {
            Span s = inOrder.get(k);
            assertThat(s.first())
                    .as("person %d (%s) tracked from", k + 1, s)
                    .isLessThanOrEqualTo(byEye[k][0] * 10);
            assertThat(s.last())
                    .as("person %d (%s) tracked until", k + 1, s)
                    .isGreaterThanOrEqualTo(byEye[k][1] * 10);
            if (k > 0) {
                assertThat(s.first()).as("one at a time").isGreaterThan(inOrder.get(k - 1).last());
            }
        }
        List<Integer> nobody = List.of(0, 50, 200, 450, 500, 700, 900, 1200);
        for (int f = 0; f <= 1350; f += 50) {
            long[] inFrame = ids.get(f / 2);
            assertThat(Arrays.stream(inFrame).filter(id -> id > 0).count())
                    .as("ids in f%d (README eye count %d)", f, nobody.contains(f) ? 0 : 1)
                    .isEqualTo(nobody.contains(f) ? 0 : 1);
        }

        // 1 fps: every 5th of those frames, 1 s apart, still one id per person
        List<Frame> oneFps = new ArrayList<>();
        for (int i = 0; i < fiveFps.size(); i += 5) {
            oneFps.add(fiveFps.get(i));
        }
        Map<Long, Span> sparse = spans(oneFps, track(oneFps, 10, TrackerSettings.DEFAULTS));
        LOG.info("one-by-one at 1 fps: {}", sparse.values());
        assertThat(sparse).hasSize(6);

        // a restore through the binary state every 25 frames changes nothing
        assertThat(trackWithRestores(fiveFps, 10, 25).stream().map(Arrays::toString))
                .containsExactlyElementsOf(ids.stream().map(Arrays::toString).toList());
    }

    /**
     * A shop aisle from above (15 fps, 67 frames): by eye, a man in a hat and olive jacket and a
     * woman in a teal top are there from the first to the last frame; a woman in a brown jacket
     * enters at the bottom right (partly visible from about f16, fully from about f24) and then
     * walks in front of the teal woman, partly hiding her from about f38 to the end. Three people.
     */
    @Test
    void storeAisleThreePeopleOneWalkingInFrontOfAnother() throws Exception {
        List<Frame> all = detect("store-aisle-detection.mp4", 1);
        assertThat(all).hasSize(67);
        Map<Long, Span> spans = spans(all, track(all, 15, TrackerSettings.DEFAULTS));
        LOG.info("store-aisle at 15 fps: {}", spans.values());
        assertThat(spans).hasSize(3);
        List<Span> s = new ArrayList<>(spans.values());
        // the two people there from the start keep their ids to the last frame, through the
        // occlusion; the third id starts only once she has walked in
        assertThat(s.get(0).first()).isEqualTo(1);
        assertThat(s.get(0).last()).isEqualTo(66);
        assertThat(s.get(1).first()).isEqualTo(1);
        assertThat(s.get(1).last()).isEqualTo(66);
        assertThat(s.get(2).first()).isBetween(16, 40);
        assertThat(s.get(2).last()).isEqualTo(66);

        // every 4th frame (3.75 fps, the spacing of the frames/ JPEGs): still three
        List<Frame> sparse = new ArrayList<>();
        for (int i = 0; i < all.size(); i += 4) {
            sparse.add(all.get(i));
        }
        Map<Long, Span> sparseSpans = spans(sparse, track(sparse, 15, TrackerSettings.DEFAULTS));
        LOG.info("store-aisle at 3.75 fps: {}", sparseSpans.values());
        assertThat(sparseSpans).hasSize(3);
    }

    /**
     * Short clips with the same people throughout: a meeting room with 4 seated people (15 fps), 3
     * people standing side by side (12 fps), 2 people turning their heads (12 fps); counted by eye
     * on sheets of every 4th frame. Each person one id, from the second frame (minHits 2) to the
     * last.
     */
    @Test
    void shortClipsOneIdPerPerson() throws Exception {
        Object[][] clips = {
            {"classroom.mp4", 15.0, 4, 45},
            {"face-demographics-walking-and-pause.mp4", 12.0, 3, 41},
            {"head-pose-face-detection-female-and-male.mp4", 12.0, 2, 56},
        };
        for (Object[] c : clips) {
            String clip = (String) c[0];
            List<Frame> all = detect(clip, 1);
            assertThat(all).hasSize((int) c[3]);
            Map<Long, Span> spans = spans(all, track(all, (double) c[1], TrackerSettings.DEFAULTS));
            LOG.info("{}: {}", clip, spans.values());
            assertThat(spans).as(clip).hasSize((int) c[2]);
            for (Span s : spans.values()) {
                assertThat(s.first()).as("%s %s", clip, s).isEqualTo(1);
                assertThat(s.last()).as("%s %s", clip, s).isEqualTo(all.size() - 1);
            }
        }
    }

    // ---------------------------------------------------------------------------------------

    private static List<Frame> detect(String clip, int step) throws Exception {
        Path dir = Files.createDirectories(frames.resolve(clip + "-" + step));
        List<byte[]> jpegs = ClipFrames.decode(clip, dir, step);
        List<Frame> out = new ArrayList<>();
        for (int i = 0; i < jpegs.size(); i++) {
            FrameResult r = detector.detect(jpegs.get(i));
            out.add(new Frame(i * step, r.detections(), r.width(), r.height()));
        }
        return out;
    }

    private static long captureTs(Frame f, double fps) {
        return Math.round(f.index() * 1000 / fps);
    }

    private static List<long[]> track(List<Frame> frames, double fps, TrackerSettings settings) {
        ByteTracker t = new ByteTracker(settings);
        List<long[]> ids = new ArrayList<>();
        for (Frame f : frames) {
            ids.add(t.update(f.detections(), captureTs(f, fps), f.width(), f.height()).trackIds());
        }
        return ids;
    }

    private static List<long[]> trackWithRestores(List<Frame> frames, double fps, int every) {
        ByteTracker t = new ByteTracker(TrackerSettings.DEFAULTS);
        List<long[]> ids = new ArrayList<>();
        int largest = 0;
        for (int i = 0; i < frames.size(); i++) {
            if (i % every == 0) {
                byte[] bytes = t.snapshot().toBytes();
                largest = Math.max(largest, bytes.length);
                t = ByteTracker.restore(TrackerSettings.DEFAULTS, TrackerState.fromBytes(bytes));
            }
            Frame f = frames.get(i);
            ids.add(t.update(f.detections(), captureTs(f, fps), f.width(), f.height()).trackIds());
        }
        LOG.info("largest state while tracking one-by-one: {} bytes", largest);
        return ids;
    }

    /** Spans of the confirmed ids, in order of first appearance. */
    private static Map<Long, Span> spans(List<Frame> frames, List<long[]> ids) {
        Map<Long, Span> out = new LinkedHashMap<>();
        for (int i = 0; i < frames.size(); i++) {
            int f = frames.get(i).index();
            for (long id : ids.get(i)) {
                if (id > 0) {
                    out.merge(
                            id,
                            new Span(id, f, f, 1),
                            (a, b) -> new Span(id, a.first(), b.last(), a.frames() + 1));
                }
            }
        }
        return out;
    }
}
