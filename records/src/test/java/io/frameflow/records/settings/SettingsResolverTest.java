package io.frameflow.records.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.frameflow.records.settings.CameraSettings.Field;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsResolverTest {

    private final CameraSettingsJson json = new CameraSettingsJson();

    private CameraSettings doc(String s) throws SettingsException {
        return json.parse(s);
    }

    @Test
    void cameraFieldsWinWholeTheOthersComeFromTheDefaultsThenBuiltIn() throws Exception {
        CameraSettings defaults =
                doc(
                        "{\"site\":\"shop-1\",\"classes\":[\"person\",\"car\"],\"minScore\":0.4,"
                                + "\"zones\":[{\"name\":\"all\",\"polygon\":[[0,0],[1,0],[1,1],[0,1]]}],"
                                + "\"tracker\":{\"minHits\":3,\"trackBufferMs\":2000}}");
        CameraSettings own =
                doc(
                        "{\"minScore\":0.6,\"zones\":[{\"name\":\"counter\",\"polygon\":[[0.3,0.5],[0.7,0.5],[0.7,1]]}],"
                                + "\"lines\":[{\"name\":\"door\",\"points\":[[0.85,0],[0.85,1]]}],"
                                + "\"tracker\":{\"minHits\":5,\"highThresh\":0.7}}");
        CameraSettings s = SettingsResolver.resolve(defaults, own);
        assertThat(s.site()).isEqualTo("shop-1");
        assertThat(s.classes()).containsExactly("car", "person");
        assertThat(s.minScore()).isEqualTo(0.6);
        assertThat(s.zones())
                .extracting(Zone::name)
                .containsExactly("counter"); // replaced, not added
        assertThat(s.lines()).extracting(Line::name).containsExactly("door");
        assertThat(s.masks()).isEmpty();
        assertThat(s.inferEvery()).isEqualTo(1);
        assertThat(s.tracker()).isEqualTo(new TrackerOverrides(0.7, null, null, null, 5, 2000L));
        assertThat(s.specified())
                .containsExactlyInAnyOrder(
                        Field.SITE,
                        Field.CLASSES,
                        Field.MIN_SCORE,
                        Field.ZONES,
                        Field.LINES,
                        Field.TRACKER);
    }

    @Test
    void anExplicitBuiltInValueOverridesTheDefaults() throws Exception {
        CameraSettings defaults =
                doc(
                        "{\"classes\":[\"person\"],\"inferEvery\":5,\"zones\":[{\"name\":\"a\",\"polygon\":[[0,0],[1,0],[1,1]]}]}");
        CameraSettings s =
                SettingsResolver.resolve(
                        defaults, doc("{\"classes\":[],\"inferEvery\":1,\"zones\":[]}"));
        assertThat(s.classes()).isEmpty();
        assertThat(s.detects("car")).isTrue();
        assertThat(s.inferEvery()).isEqualTo(1);
        assertThat(s.zones()).isEmpty();
        // saying nothing inherits
        CameraSettings inherits = SettingsResolver.resolve(defaults, doc("{}"));
        assertThat(inherits.classes()).containsExactly("person");
        assertThat(inherits.inferEvery()).isEqualTo(5);
        assertThat(inherits.zones()).hasSize(1);
    }

    @Test
    void noDocumentsMeansBuiltIn() {
        assertThat(SettingsResolver.resolve(null, null)).isEqualTo(CameraSettings.BUILT_IN);
        CameraSettings b = CameraSettings.BUILT_IN;
        assertThat(b.classes()).isEmpty();
        assertThat(b.minScore()).isNull();
        assertThat(b.inferEvery()).isEqualTo(1);
        assertThat(b.masks()).isEmpty();
        assertThat(b.zones()).isEmpty();
        assertThat(b.lines()).isEmpty();
        assertThat(b.tracker()).isEqualTo(TrackerOverrides.NONE);
        assertThat(b.site()).isNull();
    }

    @Test
    void resolverFollowsPutsAndTombstones() throws Exception {
        SettingsResolver r = new SettingsResolver();
        assertThat(r.settingsFor("cam-1")).isEqualTo(CameraSettings.BUILT_IN);

        r.put("*", doc("{\"site\":\"shop-1\",\"minScore\":0.4}"));
        assertThat(r.settingsFor("cam-1").site()).isEqualTo("shop-1");
        assertThat(r.settingsFor("cam-2").minScore()).isEqualTo(0.4);

        r.put("cam-1", doc("{\"minScore\":0.7,\"inferEvery\":2}"));
        assertThat(r.settingsFor("cam-1").minScore()).isEqualTo(0.7);
        assertThat(r.settingsFor("cam-1").site()).isEqualTo("shop-1");
        assertThat(r.settingsFor("cam-2").minScore()).isEqualTo(0.4);

        // the defaults change: cameras with their own document see it at once
        r.put("*", doc("{\"site\":\"shop-2\"}"));
        assertThat(r.settingsFor("cam-1").site()).isEqualTo("shop-2");
        assertThat(r.settingsFor("cam-1").minScore()).isEqualTo(0.7);
        assertThat(r.settingsFor("cam-2").minScore()).isNull();

        // tombstone of the camera: back to the defaults
        assertThat(r.remove("cam-1")).isNotNull();
        assertThat(r.settingsFor("cam-1")).isEqualTo(r.defaults());
        assertThat(r.settingsFor("cam-1").inferEvery()).isEqualTo(1);

        // tombstone of the defaults: back to built-in
        r.put("cam-1", doc("{\"inferEvery\":3}"));
        r.remove("*");
        assertThat(r.settingsFor("cam-1").site()).isNull();
        assertThat(r.settingsFor("cam-1").inferEvery()).isEqualTo(3);
        assertThat(r.settingsFor("cam-2")).isEqualTo(CameraSettings.BUILT_IN);
        assertThat(r.remove("cam-9")).isNull();
        assertThat(r.documents()).containsOnlyKeys("cam-1");

        r.put("cam-1", null);
        assertThat(r.documents()).isEmpty();
    }

    @Test
    void startsFromAConfigFile() throws Exception {
        Map<String, CameraSettings> file = new LinkedHashMap<>();
        file.put("*", doc("{\"inferEvery\":4}"));
        file.put("cam-1", doc("{\"site\":\"a\"}"));
        SettingsResolver r = new SettingsResolver(file);
        assertThat(r.settingsFor("cam-1").inferEvery()).isEqualTo(4);
        assertThat(r.settingsFor("cam-1").site()).isEqualTo("a");
        assertThat(r.document("*")).isEqualTo(file.get("*"));
    }

    @Test
    void resolverAndSettingsSurviveJavaSerialization() throws Exception {
        SettingsResolver r = new SettingsResolver();
        r.put("*", doc("{\"site\":\"shop-1\",\"tracker\":{\"minHits\":2}}"));
        r.put("cam-1", doc(CameraSettingsJsonTest.ISSUE_EXAMPLE));
        CameraSettings before = r.settingsFor("cam-1");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(r);
        }
        SettingsResolver copy;
        try (java.io.ObjectInputStream in =
                new java.io.ObjectInputStream(
                        new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (SettingsResolver) in.readObject();
        }
        assertThat(copy.settingsFor("cam-1")).isEqualTo(before);
        assertThat(copy.settingsFor("cam-1").zone("counter").contains(0.5, 0.9)).isTrue();
        assertThat(copy.documents()).isEqualTo(r.documents());
    }

    @Test
    void keys() throws Exception {
        assertThat(SettingsResolver.checkKey("*")).isEqualTo("*");
        assertThat(SettingsResolver.isDefaultsKey("*")).isTrue();
        assertThat(SettingsResolver.checkKey("cam-1")).isEqualTo("cam-1");
        assertThat(SettingsResolver.checkKey("Eingang Süd".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("Eingang Süd");
        for (String bad : new String[] {null, "", "**", "cam/1", " cam", "x".repeat(129)}) {
            SettingsException e =
                    catchThrowableOfType(
                            SettingsException.class, () -> SettingsResolver.checkKey(bad));
            assertThat(e).as(bad).isNotNull();
            assertThat(e.reason()).isEqualTo(SettingsReason.BAD_CAMERA_ID);
        }
        SettingsException e =
                catchThrowableOfType(
                        SettingsException.class,
                        () -> SettingsResolver.checkKey(new byte[] {(byte) 0xff, 'a'}));
        assertThat(e.code()).isEqualTo("bad-camera-id");
        assertThat(e.getMessage()).contains("not UTF-8");
        assertThatThrownBy(() -> new SettingsResolver().put("cam/1", CameraSettings.BUILT_IN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void inferEverySelectsFramesBySeqAndTheCamerasPhase() throws Exception {
        CameraSettings s = doc("{\"inferEvery\":3}");
        // "cam-1".hashCode() = 94424499 (0 modulo 3), "cam-2" one more (1 modulo 3)
        assertThat(
                        java.util.stream.LongStream.range(0, 10)
                                .filter(q -> s.infers("cam-1", q))
                                .boxed())
                .containsExactly(0L, 3L, 6L, 9L);
        assertThat(
                        java.util.stream.LongStream.range(0, 10)
                                .filter(q -> s.infers("cam-2", q))
                                .boxed())
                .containsExactly(2L, 5L, 8L);
        assertThat(CameraSettings.BUILT_IN.infers("cam-2", 7)).isTrue();
    }

    @Test
    void masksDropAnchorsInside() throws Exception {
        CameraSettings s = doc("{\"masks\":[[[0,0],[1,0],[1,0.1],[0,0.1]]]}");
        assertThat(s.isMasked(0.5, 0.05)).isTrue();
        assertThat(s.isMasked(0.5, 0.1)).isTrue();
        assertThat(s.isMasked(0.5, 0.2)).isFalse();
    }
}
