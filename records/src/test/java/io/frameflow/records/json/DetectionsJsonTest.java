package io.frameflow.records.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameflow.records.Attribute;
import io.frameflow.records.Detection;
import io.frameflow.records.FrameDetections;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DetectionsJsonTest {

    private final DetectionsJson json = new DetectionsJson();

    static FrameDetections example() {
        return new FrameDetections(
                "cam-1",
                42,
                1_763_000_000_000L,
                480,
                270,
                "yolov8n_int8",
                12.5,
                List.of(
                        new Detection("person", 0, 0.91f, 10.5f, 20f, 110f, 250.25f, null),
                        new Detection("person", 0, 0.5f, 200f, 30f, 260f, 240f, null),
                        new Detection("car", 2, 0.75f, 300f, 100f, 470f, 200f, null)));
    }

    @Test
    void writesTheDocumentedFormatWithLatencyFromTheEmitClock() {
        String text = new String(json.write(example(), 1_763_000_000_250L), StandardCharsets.UTF_8);
        assertThat(text)
                .isEqualTo(
                        "{\"version\":1,\"camera\":\"cam-1\",\"seq\":42,\"captureTs\":1763000000000,"
                                + "\"width\":480,\"height\":270,\"model\":\"yolov8n_int8\","
                                + "\"inferenceMs\":12.5,\"latencyMs\":250,\"detections\":["
                                + "{\"label\":\"person\",\"classId\":0,\"score\":0.91,"
                                + "\"box\":[10.5,20.0,110.0,250.25]},"
                                + "{\"label\":\"person\",\"classId\":0,\"score\":0.5,"
                                + "\"box\":[200.0,30.0,260.0,240.0]},"
                                + "{\"label\":\"car\",\"classId\":2,\"score\":0.75,"
                                + "\"box\":[300.0,100.0,470.0,200.0]}],"
                                + "\"counts\":{\"car\":1,\"person\":2}}");
    }

    @Test
    void roundTripsExactlyIncludingLandmarks() throws IOException {
        Random random = new Random(11);
        List<Detection> detections = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            float[] landmarks = null;
            if (i % 3 == 0) {
                landmarks = new float[10];
                for (int k = 0; k < 10; k++) {
                    landmarks[k] = random.nextFloat() * 1920;
                }
            }
            detections.add(
                    new Detection(
                            i % 2 == 0 ? "face" : "person",
                            i % 2,
                            random.nextFloat(),
                            random.nextFloat() * 1920,
                            random.nextFloat() * 1080,
                            random.nextFloat() * 1920,
                            random.nextFloat() * 1080,
                            landmarks));
        }
        FrameDetections d =
                new FrameDetections(
                        "entrance/ünïcode \"cam\"",
                        7,
                        1000,
                        1920,
                        1080,
                        "yunet",
                        3.0 / 7,
                        detections);

        DetectionsMessage back = json.read(json.write(d, 1234));

        // NaN (no similarity) equals NaN, as in the record's own equals
        assertThat(back.detections())
                .usingRecursiveComparison()
                .withEqualsForType((a, b) -> Float.compare(a, b) == 0, Float.class)
                .isEqualTo(d);
        assertThat(back.latencyMs()).isEqualTo(234);
        assertThat(back.counts()).isEqualTo(Map.of("face", 25, "person", 25));
    }

    @Test
    void landmarksAppearOnlyWhenPresent() {
        FrameDetections d =
                new FrameDetections(
                        "c",
                        1,
                        0,
                        10,
                        10,
                        "yunet",
                        1,
                        List.of(
                                new Detection(
                                        "face", 0, 0.9f, 1, 2, 3, 4, new float[] {1, 2, 3, 4}),
                                new Detection("face", 0, 0.8f, 1, 2, 3, 4, null)));
        String text = new String(json.write(d, 5), StandardCharsets.UTF_8);
        assertThat(text).containsOnlyOnce("\"landmarks\":[1.0,2.0,3.0,4.0]");
    }

    @Test
    void keypointsAreWrittenAsTriplesAndRoundTripWithTheTrackId() throws IOException {
        float[] kp = {100.5f, 40f, 0.93f, 104f, 36f, 0.2f};
        FrameDetections d =
                new FrameDetections(
                        "c",
                        1,
                        0,
                        640,
                        480,
                        "yolo11n_pose_int8",
                        1,
                        List.of(
                                new Detection("person", 0, 0.9f, 1, 2, 3, 4, null, kp, 7),
                                new Detection("person", 0, 0.8f, 1, 2, 3, 4, null)));
        byte[] bytes = json.write(d, 5);
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThat(text).containsOnlyOnce("\"keypoints\":[[100.5,40.0,0.93],[104.0,36.0,0.2]]");
        List<Detection> back = json.read(bytes).detections().detections();
        assertThat(back.get(0).keypoints()).containsExactly(kp);
        assertThat(back.get(0).trackId()).isEqualTo(7);
        assertThat(back.get(1).keypoints()).isNull();
    }

    @Test
    void aRecognisedFaceCarriesItsNameAndSimilarity() throws IOException {
        Detection face = new Detection("face", 0, 0.9f, 1, 2, 3, 4, new float[10]).withTrackId(5);
        FrameDetections d =
                new FrameDetections(
                        "c",
                        1,
                        0,
                        10,
                        10,
                        "yunet",
                        1,
                        List.of(face.recognisedAs("ada", 0.625f), face));
        byte[] bytes = json.write(d, 5);
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThat(text)
                .containsOnlyOnce("\"label\":\"ada\"")
                .containsOnlyOnce("\"similarity\":0.625");
        List<Detection> back = json.read(bytes).detections().detections();
        assertThat(back.get(0).label()).isEqualTo("ada");
        assertThat(back.get(0).similarity()).isEqualTo(0.625f);
        assertThat(back.get(0).trackId()).isEqualTo(5);
        assertThat(back.get(1).similarity()).isNaN();
    }

    @Test
    void aClassifiersAttributeRoundTripsAndASecondVersionReplacesTheFirst() throws IOException {
        Detection person =
                new Detection("person", 0, 0.9f, 1, 2, 3, 4, null)
                        .withTrackId(3)
                        .withAttribute(new Attribute("colour@00000001", "red", 0.5f))
                        .withAttribute(new Attribute("ppe@0a0b0c0d", "vest", 0.75f))
                        .withAttribute(new Attribute("colour@00000002", "blue", 0.875f));
        FrameDetections d =
                new FrameDetections(
                        "c", 1, 0, 10, 10, "yolox_nano", 1, List.of(person, person.withTrackId(4)));
        byte[] bytes = json.write(d, 5);
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThat(text)
                .contains(
                        "\"attributes\":[{\"model\":\"ppe@0a0b0c0d\",\"label\":\"vest\","
                                + "\"score\":0.75},{\"model\":\"colour@00000002\","
                                + "\"label\":\"blue\",\"score\":0.875}]")
                .doesNotContain("colour@00000001");
        List<Detection> back = json.read(bytes).detections().detections();
        assertThat(back.get(0).attributes())
                .containsExactly(
                        new Attribute("ppe@0a0b0c0d", "vest", 0.75f),
                        new Attribute("colour@00000002", "blue", 0.875f));
        Detection plain = new Detection("car", 2, 0.5f, 1, 2, 3, 4, null);
        byte[] none = json.write(new FrameDetections("c", 1, 0, 10, 10, "m", 1, List.of(plain)), 5);
        assertThat(new String(none, StandardCharsets.UTF_8)).doesNotContain("attributes");
        assertThat(json.read(none).detections().detections().get(0).attributes()).isNull();
    }

    @Test
    void aKeypointThatIsNotATripleIsRefusedByName() {
        String bad =
                "{\"camera\":\"c\",\"seq\":1,\"captureTs\":0,\"width\":1,\"height\":1,"
                        + "\"model\":\"m\",\"inferenceMs\":1,\"latencyMs\":1,\"detections\":"
                        + "[{\"label\":\"person\",\"classId\":0,\"score\":0.9,"
                        + "\"box\":[1,2,3,4],\"keypoints\":[[1,2]]}]}";
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> json.read(bad.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("keypoint is not [x, y, score]");
    }

    @Test
    void trackIdsAppearOnlyOnTrackedDetectionsAndRoundTrip() throws IOException {
        FrameDetections d =
                new FrameDetections(
                        "c",
                        1,
                        0,
                        10,
                        10,
                        "yolox",
                        1,
                        List.of(
                                new Detection("person", 0, 0.9f, 1, 2, 3, 4, null).withTrackId(42),
                                new Detection("person", 0, 0.3f, 5, 6, 7, 8, null)));
        byte[] bytes = json.write(d, 5);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).containsOnlyOnce("\"trackId\":42");
        List<Detection> back = json.read(bytes).detections().detections();
        assertThat(back).extracting(Detection::trackId).containsExactly(42L, Detection.NO_TRACK);
    }

    @Test
    void anEmptyFrameHasEmptyDetectionsAndCounts() throws IOException {
        FrameDetections d = new FrameDetections("c", -1, 100, 10, 10, "m", 0.25, List.of());
        byte[] bytes = json.write(d, 100);
        assertThat(new String(bytes, StandardCharsets.UTF_8))
                .endsWith("\"latencyMs\":0,\"detections\":[],\"counts\":{}}");
        assertThat(json.read(bytes).detections()).isEqualTo(d);
    }

    @Test
    void nonFiniteNumbersBecomeNullAndParseBackAsNaN() throws IOException {
        FrameDetections d =
                new FrameDetections(
                        "c",
                        1,
                        0,
                        10,
                        10,
                        "m",
                        Double.NaN,
                        List.of(
                                new Detection(
                                        "x",
                                        0,
                                        Float.NaN,
                                        1,
                                        2,
                                        3,
                                        Float.POSITIVE_INFINITY,
                                        null)));
        byte[] bytes = json.write(d, 0);
        assertThat(new String(bytes, StandardCharsets.UTF_8))
                .contains("\"inferenceMs\":null")
                .contains("\"score\":null")
                .contains("\"box\":[1.0,2.0,3.0,null]");
        DetectionsMessage back = json.read(bytes);
        assertThat(back.detections().inferenceMs()).isNaN();
        assertThat(back.detections().detections().get(0).score()).isNaN();
    }

    @Test
    void parseErrorsNameTheField() {
        assertThatThrownBy(() -> json.read("{\"camera\":\"c\",\"detections\":[]}".getBytes()))
                .isInstanceOf(IOException.class)
                .hasMessage("frames.detections JSON has no field 'seq'");
        assertThatThrownBy(() -> json.read("[1]".getBytes()))
                .hasMessage("frames.detections JSON is not an object");
        assertThatThrownBy(() -> json.read("{\"detections\":[{\"box\":[1,2]}]}".getBytes()))
                .hasMessageContaining("'box' is not [x1,y1,x2,y2]");
        assertThatThrownBy(() -> json.read("{not json".getBytes())).isInstanceOf(IOException.class);
    }
}
