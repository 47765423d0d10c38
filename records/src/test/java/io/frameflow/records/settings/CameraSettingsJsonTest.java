package io.frameflow.records.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.frameflow.records.settings.CameraSettings.Field;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CameraSettingsJsonTest {

    static final String ISSUE_EXAMPLE =
            "{\"site\":\"shop-1\",\"lines\":[{\"name\":\"door\",\"points\":[[0.85,0.0],[0.85,1.0]]}],"
                    + " \"zones\":[{\"name\":\"counter\",\"polygon\":[[0.3,0.5],[0.7,0.5],[0.7,1.0],[0.3,1.0]],"
                    + "\"loiterSeconds\":30}]}";

    private final CameraSettingsJson json = new CameraSettingsJson();

    @Test
    void parsesTheIssueExample() throws Exception {
        CameraSettings s = json.parse(ISSUE_EXAMPLE);
        assertThat(s.site()).isEqualTo("shop-1");
        assertThat(s.specified()).containsExactlyInAnyOrder(Field.SITE, Field.LINES, Field.ZONES);
        Line door = s.line("door");
        assertThat(door.a()).isEqualTo(new Point(0.85, 0));
        assertThat(door.b()).isEqualTo(new Point(0.85, 1));
        Zone counter = s.zone("counter");
        assertThat(counter.loiterSeconds()).isEqualTo(30.0);
        assertThat(counter.polygon().points()).hasSize(4);
        assertThat(counter.contains(0.5, 0.75)).isTrue();
        // not given: built-in values
        assertThat(s.classes()).isEmpty();
        assertThat(s.detects("anything")).isTrue();
        assertThat(s.minScore()).isNull();
        assertThat(s.minScoreOr(0.3)).isEqualTo(0.3);
        assertThat(s.inferEvery()).isEqualTo(1);
        assertThat(s.masks()).isEmpty();
        assertThat(s.tracker()).isEqualTo(TrackerOverrides.NONE);
    }

    @Test
    void canonicalForm() throws Exception {
        CameraSettings s = json.parse(ISSUE_EXAMPLE);
        assertThat(json.writeString(s))
                .isEqualTo(
                        "{\"site\":\"shop-1\","
                                + "\"zones\":[{\"name\":\"counter\",\"polygon\":[[0.3,0.5],[0.7,0.5],[0.7,1],[0.3,1]],\"loiterSeconds\":30}],"
                                + "\"lines\":[{\"name\":\"door\",\"points\":[[0.85,0],[0.85,1]]}]}");
    }

    @Test
    void roundTripOfEveryField() throws Exception {
        CameraSettings s =
                CameraSettings.builder()
                        .site("Café Zürich")
                        .classes("person", "car", "traffic light")
                        .minScore(0.45)
                        .inferEvery(3)
                        .masks(
                                List.of(
                                        Polygon.of(
                                                new Point(0, 0),
                                                new Point(0.25, 0),
                                                new Point(0.25, 1e-7 + 0.08),
                                                new Point(0, 0.08))))
                        .zones(
                                List.of(
                                        new Zone(
                                                "counter",
                                                Polygon.of(
                                                        new Point(0.3, 0.5),
                                                        new Point(0.7, 0.5),
                                                        new Point(0.7, 1)),
                                                Set.of("person"),
                                                12.5),
                                        new Zone(
                                                "aisle",
                                                Polygon.of(
                                                        new Point(0.1, 0.1),
                                                        new Point(1.0 / 3, 0.1),
                                                        new Point(0.1, 2.0 / 3)))))
                        .lines(
                                List.of(
                                        new Line(
                                                "door",
                                                new Point(0.85, 0),
                                                new Point(0.85, 1),
                                                Set.of("person", "dog"))))
                        .tracker(new TrackerOverrides(0.6, 0.1, 0.7, 0.8, 3, 2000L))
                        .build();
        byte[] bytes = json.write(s);
        CameraSettings back = json.parse(bytes);
        assertThat(back).isEqualTo(s);
        assertThat(json.write(back)).isEqualTo(bytes);
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThat(text)
                .startsWith(
                        "{\"site\":\"Café Zürich\",\"classes\":[\"car\",\"person\",\"traffic light\"],\"minScore\":0.45,\"inferEvery\":3,")
                .contains("0.0800001")
                .contains("0.3333333333333333")
                .doesNotContain("E-")
                .endsWith(
                        "\"tracker\":{\"highThresh\":0.6,\"lowThresh\":0.1,\"newTrackThresh\":0.7,"
                                + "\"matchThresh\":0.8,\"minHits\":3,\"trackBufferMs\":2000}}");
    }

    @Test
    void explicitBuiltInValuesSurviveTheRoundTrip() throws Exception {
        CameraSettings s =
                json.parse(
                        "{\"classes\":[],\"inferEvery\":1,\"zones\":[],\"masks\":[],\"lines\":[]}");
        assertThat(s.specified())
                .containsExactlyInAnyOrder(
                        Field.CLASSES, Field.INFER_EVERY, Field.ZONES, Field.MASKS, Field.LINES);
        assertThat(json.writeString(s))
                .isEqualTo(
                        "{\"classes\":[],\"inferEvery\":1,\"masks\":[],\"zones\":[],\"lines\":[]}");
        assertThat(json.parse(json.write(s))).isEqualTo(s);
        assertThat(json.parse("{\"tracker\":{}}")).isEqualTo(CameraSettings.BUILT_IN);
        assertThat(json.writeString(CameraSettings.BUILT_IN)).isEqualTo("{}");
    }

    @Test
    void smallNumbersAreWrittenPlain() throws Exception {
        CameraSettings s = CameraSettings.builder().minScore(1e-7).build();
        assertThat(json.writeString(s)).isEqualTo("{\"minScore\":0.0000001}");
        assertThat(json.parse(json.write(s))).isEqualTo(s);
    }

    @Test
    void wholeNumbersMayBeWrittenAsDecimals() throws Exception {
        CameraSettings s =
                json.parse(
                        "{\"inferEvery\":2.0,\"tracker\":{\"minHits\":3.00,\"trackBufferMs\":1E3}}");
        assertThat(s.inferEvery()).isEqualTo(2);
        assertThat(s.tracker().minHits()).isEqualTo(3);
        assertThat(s.tracker().trackBufferMs()).isEqualTo(1000L);
    }

    @Test
    void badJson() {
        assertRefused("{\"site\":", "bad-json", "not valid JSON");
        assertRefused("{\"site\":\"a\"} {}", "bad-json", "not valid JSON");
        assertRefused("{\"site\":\"a\",\"site\":\"b\"}", "bad-json", "Duplicate field 'site'");
        assertRefused("   ", "bad-json", "no document");
        assertRefused("[1]", "bad-json", "not a JSON object");
        assertRefused("// a comment\n{}", "bad-json", "not valid JSON");
        assertRefused((byte[]) null, "bad-json", "removes the camera's settings");
        assertRefused(new byte[0], "bad-json", "no document");
        assertRefused(
                new byte[] {'{', '"', (byte) 0xC3, '"', ':', '1', '}'},
                "bad-json",
                "not valid JSON");
    }

    @Test
    void unknownFieldsAreRefusedWithASuggestion() {
        assertRefused(
                "{\"zone\":[]}", "unknown-field", "unknown field 'zone'; did you mean 'zones'?");
        assertRefused("{\"minscore\":0.5}", "unknown-field", "did you mean 'minScore'?");
        assertRefused(
                "{\"colour\":\"red\"}",
                "unknown-field",
                "unknown field 'colour'. The fields of a document are site, classes");
        assertRefused(
                "{\"zones\":[{\"name\":\"a\",\"polygon\":[[0,0],[1,0],[1,1]],\"loiterSecs\":5}]}",
                "unknown-field",
                "zones[0]: unknown field 'loiterSecs'; did you mean 'loiterSeconds'?");
        assertRefused(
                "{\"lines\":[{\"name\":\"a\",\"point\":[[0,0],[1,1]]}]}",
                "unknown-field",
                "lines[0]: unknown field 'point'; did you mean 'points'?");
        assertRefused(
                "{\"tracker\":{\"minHit\":3}}",
                "unknown-field",
                "tracker: unknown field 'minHit'; did you mean 'minHits'?");
    }

    @Test
    void messagesSayWhereAndWhatToFix() {
        assertRefused(
                "{\"zones\":[{\"name\":\"a\",\"polygon\":[[0,0],[1,0],[1,1]]},{\"name\":\"counter\",\"polygon\":[[0.3,0.5],[0.7,0.5],[0.7,1.0],[0.3,1.0],[0.3,0.5]]}]}",
                "bad-polygon",
                "zones[1] 'counter'.polygon: ends with point 4, which repeats point 0; polygons close by themselves, drop the last point");
        assertRefused(
                "{\"zones\":[{\"name\":\"z\",\"polygon\":[[0.3,0.5],[0.7,0.5],[0.3,1],[0.7,1]]}]}",
                "bad-polygon",
                "zones[0] 'z'.polygon: edge point 1-point 2 and edge point 3-point 0 cross or touch");
        assertRefused(
                "{\"zones\":[{\"name\":\"z\",\"polygon\":[[300,200],[0.7,0.5],[0.7,1]]}]}",
                "bad-coordinate",
                "zones[0] 'z'.polygon[0]: point [300.0, 200.0] is outside the frame; x and y are fractions");
        assertRefused(
                "{\"lines\":[{\"name\":\"door\",\"points\":[[0.5,0.5],[0.5,0.5]]}]}",
                "bad-line",
                "lines[0] 'door': has two equal points [0.5, 0.5]");
        assertRefused(
                "{\"lines\":[{\"name\":\"door\",\"points\":[[0,0]]}]}",
                "bad-line",
                "lines[0] 'door'.points: has 1 points; a line has exactly two");
        assertRefused(
                "{\"zones\":[{\"name\":\"a\",\"polygon\":[[0,0],[1,0],[1,1]]},{\"name\":\"a\",\"polygon\":[[0,0],[0,1],[1,1]]}]}",
                "duplicate-name",
                "two zones are named 'a'");
        assertRefused("{\"site\":null}", "bad-site", "site is null; leave the field out");
        assertRefused(
                "{\"minScore\":\"high\"}",
                "bad-score",
                "minScore: is a string \"high\"; give a number from 0 to 1");
        assertRefused("{\"minScore\":1.01}", "bad-score", "minScore 1.01 is out of range");
        assertRefused(
                "{\"inferEvery\":2.5}",
                "bad-infer-every",
                "inferEvery: is the number 2.5; give a whole number");
        assertRefused("{\"inferEvery\":99999999999}", "bad-infer-every", "out of range");
        assertRefused("{\"inferEvery\":0}", "bad-infer-every", "inferEvery 0 is out of range");
        assertRefused(
                "{\"classes\":[\"person\",\"\"]}",
                "bad-class",
                "classes[1]: '' is not a class label");
        assertRefused(
                "{\"zones\":[{\"name\":\"a\",\"polygon\":[[0,0],[1,0],[1,1]],\"loiterSeconds\":-3}]}",
                "bad-zone",
                "zones[0] 'a': loiterSeconds -3.0 is out of range");
        assertRefused(
                "{\"zones\":[{\"polygon\":[[0,0],[1,0],[1,1]]}]}",
                "bad-name",
                "zones[0]: has no name");
        assertRefused(
                "{\"tracker\":{\"lowThresh\":0.6,\"highThresh\":0.5}}",
                "bad-tracker",
                "lowThresh 0.6 is above highThresh 0.5");
        assertRefused("{\"tracker\":{\"minHits\":0}}", "bad-tracker", "minHits 0 is out of range");
        assertRefused(
                "{\"tracker\":{\"minHits\":1e12}}",
                "bad-tracker",
                "minHits 1000000000000 is out of range");
        assertRefused(
                "{\"tracker\":{\"trackBufferMs\":\"2s\"}}",
                "bad-tracker",
                "tracker.trackBufferMs: is a string");
    }

    @Test
    void tooLarge() {
        String big = "{\"site\":\"x\"" + " ".repeat(CameraSettingsJson.MAX_DOCUMENT_BYTES) + "}";
        assertRefused(big, "too-large", "at most 65536");
        StringBuilder zones = new StringBuilder("{\"zones\":[");
        for (int i = 0; i < 65; i++) {
            zones.append(i == 0 ? "" : ",")
                    .append("{\"name\":\"z")
                    .append(i)
                    .append("\",\"polygon\":[[0,0],[1,0],[1,1]]}");
        }
        assertRefused(
                zones.append("]}").toString(),
                "too-large",
                "zones: 65 given; at most 64 are allowed");
    }

    @Test
    void everyReasonCodeIsDistinctAndKebabCase() {
        assertThat(
                        java.util.Arrays.stream(SettingsReason.values())
                                .map(SettingsReason::code)
                                .distinct())
                .hasSize(SettingsReason.values().length)
                .allMatch(c -> c.matches("[a-z]+(-[a-z]+)*"));
        SettingsException e = new SettingsException(SettingsReason.BAD_LINE, "lines[0]: x");
        assertThat(e.deadLetterReason()).isEqualTo("bad-line: lines[0]: x");
        assertThat(e.forKey("cam-1").getMessage()).isEqualTo("camera 'cam-1': lines[0]: x");
        assertThat(e.forKey("*").getMessage()).isEqualTo("defaults '*': lines[0]: x");
        assertThat(e.forKey("cam-1").key()).isEqualTo("cam-1");
        assertThat(e.forKey("cam-1").reason()).isEqualTo(SettingsReason.BAD_LINE);
    }

    private void assertRefused(String doc, String code, String text) {
        assertRefused(doc.getBytes(StandardCharsets.UTF_8), code, text);
    }

    private void assertRefused(byte[] doc, String code, String text) {
        SettingsException e = catchThrowableOfType(SettingsException.class, () -> json.parse(doc));
        assertThat(e).as("refused").isNotNull();
        assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
        assertThat(e.getMessage()).contains(text);
    }
}
