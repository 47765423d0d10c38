package io.frameflow.operators.face;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.operators.decode.ImageDecoder;
import io.frameflow.operators.inference.Detector;
import io.frameflow.operators.inference.DetectorSettings;
import io.frameflow.records.Detection;
import io.frameflow.testkit.ClipFrames;
import io.frameflow.testkit.SharedResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * Face recognition on the real clips: YuNet faces and landmarks → {@link FaceAlignment} → {@link
 * FaceEmbedder} (MobileFaceNet) → {@link FaceGallery}, every frame of {@code head-pose-2faces} (56)
 * and {@code face-walk-pause} (41).
 *
 * <p>Who is who, by eye: head-pose-2faces has a dark-haired woman in a grey sleeveless top on the
 * left and a man in a blue T-shirt on the right; face-walk-pause has a dark-haired woman in a grey
 * sleeveless top on the left, a bald man with glasses in the middle and a blonde woman with glasses
 * on the right. The two dark-haired women are the same person (same face, hair and top; the
 * embeddings agree: her head-pose faces are closer to her face-walk-pause enrolment than to her own
 * first head-pose frame, whose head is turned). Nobody changes place, so a face's person is told by
 * where its box centre is: head-pose left of x = 240, face-walk-pause left of 170, 170..290, right
 * of 290 (480-pixel-wide frames). Four people in all.
 *
 * <p>A track is stood in for by a person's faces so far in the clip: their embeddings are summed
 * and the sum matched, as the job matches a track's averaged embedding.
 */
class FaceRecognitionClipTest {

    private static final Logger LOG = LoggerFactory.getLogger(FaceRecognitionClipTest.class);

    private static final String GREY = "woman-grey";
    private static final String BLUE = "man-blue";
    private static final String BALD = "man-bald";
    private static final String BLONDE = "woman-blonde";

    /** Each person's faces, in frame order, per clip (one list per person and clip). */
    private static final Map<String, List<float[]>> faces = new LinkedHashMap<>();

    @TempDir static Path dir;

    @BeforeAll
    static void embedEveryFace() throws Exception {
        ClipFrames.requireFfmpeg();
        try (Detector yunet =
                        Detector.open(
                                DetectorSettings.forModel(
                                                SharedResources.model("yunet_n_dynamic.onnx"))
                                        .device("cpu")
                                        .build());
                FaceEmbedder embedder =
                        FaceEmbedder.open(SharedResources.model("mobilefacenet.onnx"));
                ImageDecoder decoder = new ImageDecoder()) {
            collect(
                    yunet,
                    embedder,
                    decoder,
                    "head-pose-face-detection-female-and-male.mp4",
                    new float[] {240},
                    "hp:" + GREY,
                    "hp:" + BLUE);
            collect(
                    yunet,
                    embedder,
                    decoder,
                    "face-demographics-walking-and-pause.mp4",
                    new float[] {170, 290},
                    "fw:" + GREY,
                    "fw:" + BALD,
                    "fw:" + BLONDE);
        }
    }

    private static void collect(
            Detector yunet,
            FaceEmbedder embedder,
            ImageDecoder decoder,
            String clip,
            float[] cuts,
            String... people)
            throws Exception {
        List<byte[]> frames =
                ClipFrames.decode(clip, Files.createDirectories(dir.resolve(clip)), 1);
        for (String p : people) {
            faces.put(p, new ArrayList<>());
        }
        for (byte[] frame : frames) {
            List<Detection> found = yunet.detect(frame).detections();
            var image = decoder.decode(frame, Integer.MAX_VALUE, Integer.MAX_VALUE).image();
            for (Detection d : found) {
                float cx = (d.x1() + d.x2()) / 2;
                int p = 0;
                while (p < cuts.length && cx >= cuts[p]) {
                    p++;
                }
                faces.get(people[p]).add(embedder.embed(image, d.landmarks()));
            }
        }
        // every face found on every frame (by eye: all faces are visible throughout)
        for (String p : people) {
            assertThat(faces.get(p)).as(p).hasSize(frames.size());
        }
    }

    @AfterAll
    static void forget() {
        faces.clear();
    }

    private static String person(String key) {
        return key.substring(key.indexOf(':') + 1);
    }

    /** The first frame of each person, as an enrolment photo (woman-grey from face-walk-pause). */
    private static FaceGallery galleryWithout(String leftOut) {
        FaceGallery g = new FaceGallery(FaceGallery.DEFAULT_THRESHOLD);
        Map<String, String> enrolFrom =
                Map.of(
                        GREY,
                        "fw:" + GREY,
                        BLUE,
                        "hp:" + BLUE,
                        BALD,
                        "fw:" + BALD,
                        BLONDE,
                        "fw:" + BLONDE);
        enrolFrom.forEach(
                (name, key) -> {
                    if (!name.equals(leftOut)) {
                        g.put(name, faces.get(key).get(0));
                    }
                });
        return g;
    }

    /**
     * Enrolled with one frame each, every other face takes the right name once its track's
     * embeddings are averaged. Measured: 219 of 231 faces named right, 12 still unknown (early in a
     * turning head's track), none named wrong; single frames alone get 128 right.
     */
    @Test
    void enrolledPeopleAreNamedFromTheirTracksAveragedEmbeddings() {
        FaceGallery gallery = galleryWithout(null);
        int right = 0;
        int wrong = 0;
        int unknown = 0;
        int singleRight = 0;
        for (Map.Entry<String, List<float[]>> e : faces.entrySet()) {
            String name = person(e.getKey());
            boolean enrolledHere = !e.getKey().equals("hp:" + GREY);
            float[] sum = null;
            List<float[]> list = e.getValue();
            for (int i = 0; i < list.size(); i++) {
                sum = add(sum, list.get(i));
                if (i == 0 && enrolledHere) {
                    continue; // the enrolment photo itself
                }
                FaceGallery.Match m = gallery.match(sum);
                if (m.name().equals(name)) {
                    right++;
                } else if (m.known()) {
                    wrong++;
                } else {
                    unknown++;
                }
                singleRight += gallery.match(list.get(i)).name().equals(name) ? 1 : 0;
            }
        }
        int total = right + wrong + unknown;
        LOG.info(
                "enrolled faces: {} of {} named right, {} wrong, {} unknown; single frames {} right",
                right,
                total,
                wrong,
                unknown,
                singleRight);
        assertThat(total).isEqualTo(56 * 2 + 41 * 3 - 4);
        assertThat(wrong).isZero();
        assertThat((double) right / total).isGreaterThanOrEqualTo(0.9);
        assertThat(right).isGreaterThan(singleRight); // averaging over the track is what helps
    }

    /**
     * Each person in turn left out of the gallery: their faces must come out unknown, not as
     * someone else. Measured at the default threshold: 222 of 235 unknown; the blonde woman is the
     * hardest (28 of 41: she is closest to the grey-top woman, 0.45 at most).
     */
    @Test
    void peopleWhoAreNotEnrolledComeOutUnknown() {
        int unknown = 0;
        int total = 0;
        for (String leftOut : List.of(GREY, BLUE, BALD, BLONDE)) {
            FaceGallery gallery = galleryWithout(leftOut);
            int mine = 0;
            int mineTotal = 0;
            for (Map.Entry<String, List<float[]>> e : faces.entrySet()) {
                if (!person(e.getKey()).equals(leftOut)) {
                    continue;
                }
                float[] sum = null;
                for (float[] face : e.getValue()) {
                    sum = add(sum, face);
                    mineTotal++;
                    mine += gallery.match(sum).known() ? 0 : 1;
                }
            }
            LOG.info("{} not enrolled: {} of {} faces unknown", leftOut, mine, mineTotal);
            unknown += mine;
            total += mineTotal;
        }
        LOG.info("not enrolled: {} of {} faces unknown", unknown, total);
        assertThat(total).isEqualTo(56 * 2 + 41 * 3);
        assertThat((double) unknown / total).isGreaterThanOrEqualTo(0.9);
    }

    private static float[] add(float[] sum, float[] v) {
        float[] out = sum == null ? new float[v.length] : sum;
        for (int i = 0; i < v.length; i++) {
            out[i] += v[i];
        }
        return out;
    }
}
