package io.frameflow.records.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * docs/camera-settings.schema.json and {@link CameraSettingsJson} agree on every example: the files
 * under settings-examples/ (see its README), every JSON block of docs/camera-settings.md, generated
 * documents over the count limits, and the keys of a camera config file. So neither the schema nor
 * the code can change alone.
 */
class CameraSettingsSchemaTest {

    static final String SCHEMA_ID = "https://frameflow.io/schemas/camera-settings.schema.json";

    /** Lenient on purpose (duplicate fields pass): what a schema tool would read. */
    private static final ObjectMapper PLAIN = new ObjectMapper();

    private static JsonSchema schema;
    private static JsonSchema fileSchema;
    private final CameraSettingsJson json = new CameraSettingsJson();

    static Path root() {
        String root = System.getProperty("frameflow.root");
        return (root != null ? Path.of(root) : Path.of("..")).toAbsolutePath().normalize();
    }

    static Path schemaFile() {
        return root().resolve("docs/camera-settings.schema.json");
    }

    @BeforeAll
    static void loadSchema() {
        Path docs = schemaFile().getParent();
        JsonSchemaFactory factory =
                JsonSchemaFactory.getInstance(
                        SpecVersion.VersionFlag.V202012,
                        b ->
                                b.schemaMappers(
                                        m ->
                                                m.mapPrefix(
                                                        "https://frameflow.io/schemas/",
                                                        docs.toUri().toString())));
        schema = factory.getSchema(SchemaLocation.of(SCHEMA_ID));
        fileSchema = factory.getSchema(SchemaLocation.of(SCHEMA_ID + "#/$defs/cameraConfigFile"));
    }

    @Test
    void schemaDeclaresDraft2020AndItsId() throws IOException {
        JsonNode s = PLAIN.readTree(schemaFile().toFile());
        assertThat(s.path("$schema").asText())
                .isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(s.path("$id").asText()).isEqualTo(SCHEMA_ID);
    }

    @TestFactory
    Stream<DynamicTest> validExamplesPassBothAndRoundTrip() {
        return examples("valid")
                .map(
                        f ->
                                DynamicTest.dynamicTest(
                                        f.getFileName().toString(),
                                        () -> {
                                            byte[] bytes = Files.readAllBytes(f);
                                            assertThat(schemaErrors(bytes)).isEmpty();
                                            CameraSettings s = json.parse(bytes);
                                            byte[] canonical = json.write(s);
                                            assertThat(json.parse(canonical)).isEqualTo(s);
                                            assertThat(schemaErrors(canonical)).isEmpty();
                                        }));
    }

    @TestFactory
    Stream<DynamicTest> invalidExamplesAreRefusedByBoth() {
        return examples("invalid")
                .map(
                        f ->
                                DynamicTest.dynamicTest(
                                        f.getFileName().toString(),
                                        () -> {
                                            byte[] bytes = Files.readAllBytes(f);
                                            assertThat(schemaErrors(bytes))
                                                    .as("schema errors")
                                                    .isNotEmpty();
                                            assertRefused(bytes, expectedCode(f));
                                        }));
    }

    @TestFactory
    Stream<DynamicTest> rulesBeyondTheSchemaAreRefusedByTheCodeOnly() {
        return examples("beyond-schema")
                .map(
                        f ->
                                DynamicTest.dynamicTest(
                                        f.getFileName().toString(),
                                        () -> {
                                            byte[] bytes = Files.readAllBytes(f);
                                            assertThat(schemaErrors(bytes))
                                                    .as(
                                                            "the schema accepts it (else move it"
                                                                    + " to invalid/)")
                                                    .isEmpty();
                                            assertRefused(bytes, expectedCode(f));
                                        }));
    }

    @Test
    void countLimitsAgree() throws Exception {
        String triangle = "[[0,0],[1,0],[1,1]]";
        for (int n : new int[] {64, 65}) {
            List<String> zones = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            List<String> masks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                zones.add("{\"name\":\"z" + i + "\",\"polygon\":" + triangle + "}");
                lines.add("{\"name\":\"l" + i + "\",\"points\":[[0,0],[1,1]]}");
                masks.add(triangle);
            }
            agree("{\"zones\":[" + String.join(",", zones) + "]}", n <= 64, "too-large");
            agree("{\"lines\":[" + String.join(",", lines) + "]}", n <= 64, "too-large");
            agree("{\"masks\":[" + String.join(",", masks) + "]}", n <= 64, "too-large");
        }
        for (int n : new int[] {256, 257}) {
            List<String> points = new ArrayList<>();
            for (int i = 0; i < n; i++) { // a convex polygon: points on a circle
                double a = 2 * Math.PI * i / n;
                points.add("[" + (0.5 + 0.4 * Math.cos(a)) + "," + (0.5 + 0.4 * Math.sin(a)) + "]");
            }
            agree("{\"masks\":[[" + String.join(",", points) + "]]}", n <= 256, "too-large");
            List<String> classes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                classes.add("\"c" + i + "\"");
            }
            agree("{\"classes\":[" + String.join(",", classes) + "]}", n <= 256, "too-large");
        }
    }

    @Test
    void documentBytesLimitIsBeyondTheSchema() throws Exception {
        String padded =
                "{\"site\":\"shop-1\"" + " ".repeat(CameraSettingsJson.MAX_DOCUMENT_BYTES) + "}";
        assertThat(schemaErrors(padded.getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertRefused(padded.getBytes(StandardCharsets.UTF_8), "too-large");
    }

    @Test
    void configFileKeysAgree() throws Exception {
        String doc = "{\"site\":\"s\"}";
        for (String key :
                List.of("*", "cam-1", "Haupteingang 2", "cam:1@site+x", "x".repeat(128))) {
            String file =
                    PLAIN.writeValueAsString(
                            PLAIN.createObjectNode().set(key, PLAIN.readTree(doc)));
            assertThat(fileSchema.validate(PLAIN.readTree(file))).as(key).isEmpty();
            assertThat(CameraConfigFile.parse(file.getBytes(StandardCharsets.UTF_8)))
                    .containsKey(key);
        }
        for (String key : List.of("", "**", " cam", "cam/1", "cam\n1", "x".repeat(129), "-cam")) {
            String file =
                    PLAIN.writeValueAsString(
                            PLAIN.createObjectNode().set(key, PLAIN.readTree(doc)));
            assertThat(fileSchema.validate(PLAIN.readTree(file))).as(key).isNotEmpty();
            SettingsException e =
                    catchThrowableOfType(
                            SettingsException.class,
                            () -> CameraConfigFile.parse(file.getBytes(StandardCharsets.UTF_8)));
            assertThat(e).as(key).isNotNull();
            assertThat(e.code()).isEqualTo("bad-camera-id");
        }
        String badDoc = "{\"cam-1\": {\"minScore\": 2}}";
        assertThat(fileSchema.validate(PLAIN.readTree(badDoc))).isNotEmpty();
        assertThatThrownBy(() -> CameraConfigFile.parse(badDoc.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SettingsException.class);
    }

    /** Every ```json block of the settings doc: a document, or a camera config file. */
    @TestFactory
    Stream<DynamicTest> docExamplesAreValid() throws IOException {
        String md = Files.readString(root().resolve("docs/camera-settings.md"));
        Matcher m = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(md);
        List<DynamicTest> tests = new ArrayList<>();
        int i = 0;
        while (m.find()) {
            String block = m.group(1);
            int line = md.substring(0, m.start()).split("\n", -1).length;
            tests.add(
                    DynamicTest.dynamicTest(
                            "block " + (++i) + " (line " + line + ")",
                            () -> {
                                byte[] bytes = block.getBytes(StandardCharsets.UTF_8);
                                JsonNode node = PLAIN.readTree(bytes);
                                if (isConfigFile(node)) {
                                    assertThat(fileSchema.validate(node)).isEmpty();
                                    assertThat(CameraConfigFile.parse(bytes)).isNotEmpty();
                                } else {
                                    assertThat(schema.validate(node)).isEmpty();
                                    json.parse(bytes);
                                }
                            }));
        }
        assertThat(tests).as("json blocks in docs/camera-settings.md").hasSizeGreaterThan(3);
        return tests.stream();
    }

    @Test
    void docListsEveryReasonCode() throws IOException {
        String md = Files.readString(root().resolve("docs/camera-settings.md"));
        for (SettingsReason r : SettingsReason.values()) {
            assertThat(md).contains("`" + r.code() + "`");
        }
    }

    @Test
    void exampleFileNamesUseKnownCodes() {
        List<String> codes =
                Arrays.stream(SettingsReason.values()).map(SettingsReason::code).toList();
        Stream.concat(examples("invalid"), examples("beyond-schema"))
                .forEach(f -> assertThat(codes).contains(expectedCode(f)));
    }

    /** A camera config file: every key is * or no document field, every value an object. */
    private static boolean isConfigFile(JsonNode node) {
        if (!node.isObject() || node.isEmpty()) {
            return false;
        }
        for (var it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            if (CameraSettingsJson.FIELDS.contains(e.getKey()) || !e.getValue().isObject()) {
                return false;
            }
        }
        return true;
    }

    private void agree(String doc, boolean valid, String code) throws Exception {
        byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
        if (valid) {
            assertThat(schemaErrors(bytes)).isEmpty();
            json.parse(bytes);
        } else {
            assertThat(schemaErrors(bytes)).isNotEmpty();
            assertRefused(bytes, code);
        }
    }

    private void assertRefused(byte[] bytes, String code) {
        SettingsException e =
                catchThrowableOfType(SettingsException.class, () -> json.parse(bytes));
        assertThat(e).as("refused by CameraSettingsJson").isNotNull();
        assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
        assertThat(e.getMessage()).isNotBlank();
    }

    private static Set<ValidationMessage> schemaErrors(byte[] bytes) {
        try {
            return schema.validate(PLAIN.readTree(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String expectedCode(Path f) {
        String name = f.getFileName().toString();
        return name.substring(0, name.indexOf('.'));
    }

    private static Stream<Path> examples(String dir) {
        Path d = root().resolve("records/src/test/resources/settings-examples").resolve(dir);
        try (Stream<Path> files = Files.list(d)) {
            List<Path> list = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            assertThat(list).as(d.toString()).isNotEmpty();
            return list.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
