package io.frameflow.records.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CameraConfigFileTest {

    @Test
    void loadsKeysInFileOrder(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("cameras.json");
        Files.writeString(
                f,
                """
                {
                  "cam-2": {"inferEvery": 2},
                  "*": {"site": "shop-1", "classes": ["person"]},
                  "cam-1": {
                    "lines": [{"name": "door", "points": [[0.85, 0], [0.85, 1]]}]
                  }
                }
                """);
        Map<String, CameraSettings> docs = CameraConfigFile.load(f);
        assertThat(docs).containsOnlyKeys("cam-2", "*", "cam-1");
        assertThat(docs.keySet()).containsExactly("cam-2", "*", "cam-1");
        SettingsResolver r = new SettingsResolver(docs);
        assertThat(r.settingsFor("cam-1").site()).isEqualTo("shop-1");
        assertThat(r.settingsFor("cam-1").lines()).hasSize(1);
        assertThat(r.settingsFor("cam-2").inferEvery()).isEqualTo(2);
        assertThat(r.settingsFor("cam-3").classes()).containsExactly("person");
    }

    @Test
    void errorsNameTheKey() {
        SettingsException e =
                refused(
                        "{\"*\":{}, \"cam-1\": {\"zones\":[{\"name\":\"a\",\"polygon\":[[0,0],[1,1]]}]}}");
        assertThat(e.code()).isEqualTo("bad-polygon");
        assertThat(e.key()).isEqualTo("cam-1");
        assertThat(e.getMessage()).startsWith("camera 'cam-1': zones[0] 'a'.polygon: has 2 points");

        e = refused("{\"*\": {\"minScre\": 1}}");
        assertThat(e.code()).isEqualTo("unknown-field");
        assertThat(e.getMessage()).startsWith("defaults '*': unknown field 'minScre'");

        e = refused("{\"cam/1\": {}}");
        assertThat(e.code()).isEqualTo("bad-camera-id");
        assertThat(e.key()).isEqualTo("cam/1");

        e = refused("{\"cam-1\": [1]}");
        assertThat(e.code()).isEqualTo("bad-json");
        assertThat(e.getMessage()).contains("not a JSON object");

        e = refused("{\"cam-1\": {}, \"cam-1\": {}}");
        assertThat(e.code()).isEqualTo("bad-json");
        assertThat(e.getMessage()).contains("Duplicate field 'cam-1'");

        e = refused("[]");
        assertThat(e.code()).isEqualTo("bad-json");
        assertThat(e.getMessage()).contains("maps keys to documents");

        e = refused("");
        assertThat(e.code()).isEqualTo("bad-json");
    }

    @Test
    void aSingleDocumentGivenAsAFileGetsAHint() {
        SettingsException e = refused("{\"site\": \"shop-1\", \"zones\": []}");
        assertThat(e.getMessage()).contains("looks like one camera's document");
    }

    @Test
    void singleDocumentFile() throws Exception {
        byte[] pretty =
                ("{\n  \"site\" : \"shop-1\",\n" + " ".repeat(70_000) + "\"minScore\": 0.5\n}")
                        .getBytes(StandardCharsets.UTF_8);
        // pretty-printed beyond 64 KiB is fine: what counts is the canonical form that is sent
        CameraSettings s = CameraConfigFile.parseDocument(pretty);
        assertThat(s.minScore()).isEqualTo(0.5);
        SettingsException e =
                catchThrowableOfType(
                        SettingsException.class,
                        () ->
                                CameraConfigFile.parseDocument(
                                        "{\"minScore\": 2}".getBytes(StandardCharsets.UTF_8)));
        assertThat(e.code()).isEqualTo("bad-score");
    }

    @Test
    void canonicalFormOverTheLimitIsRefused() {
        // 64 masks of 60 points, 16 decimals each: valid, but over 64 KiB once written
        StringBuilder sb = new StringBuilder("{\"cam-1\": {\"masks\": [");
        for (int m = 0; m < 64; m++) {
            sb.append(m == 0 ? "" : ",").append('[');
            for (int i = 0; i < 60; i++) {
                double a = 2 * Math.PI * i / 60;
                sb.append(i == 0 ? "" : ",")
                        .append('[')
                        .append(0.5 + 0.4 * Math.cos(a))
                        .append(',')
                        .append(0.5 + 0.4 * Math.sin(a))
                        .append(']');
            }
            sb.append(']');
        }
        sb.append("]}}");
        SettingsException e = refused(sb.toString());
        assertThat(e.code()).isEqualTo("too-large");
        assertThat(e.getMessage())
                .startsWith("camera 'cam-1': the document has")
                .contains("written compactly");
    }

    private static SettingsException refused(String file) {
        SettingsException e =
                catchThrowableOfType(
                        SettingsException.class,
                        () -> CameraConfigFile.parse(file.getBytes(StandardCharsets.UTF_8)));
        assertThat(e).as("refused: " + file).isNotNull();
        return e;
    }
}
