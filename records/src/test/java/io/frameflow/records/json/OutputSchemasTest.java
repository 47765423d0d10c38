package io.frameflow.records.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.frameflow.records.Attribute;
import io.frameflow.records.CameraEvent;
import io.frameflow.records.Detection;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.SiteStats;
import io.frameflow.records.WindowStats;
import io.frameflow.records.WindowStats.ClassCount;
import io.frameflow.records.WindowStats.LineCount;
import io.frameflow.records.WindowStats.Percentiles;
import io.frameflow.records.WindowStats.SceneStats;
import io.frameflow.records.WindowStats.ZoneCount;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The output contract: what the job's writers put on frames.detections, frames.stats, frames.events
 * and frames.sites validates against docs/*.schema.json (every optional field present), and the
 * schemas refuse a record without its version or with a field they do not know. So neither the
 * schemas nor the writers can change alone.
 */
class OutputSchemasTest {

    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static JsonSchemaFactory factory;

    @BeforeAll
    static void factory() {
        String root = System.getProperty("frameflow.root");
        Path docs =
                (root != null ? Path.of(root) : Path.of(".."))
                        .toAbsolutePath()
                        .normalize()
                        .resolve("docs");
        factory =
                JsonSchemaFactory.getInstance(
                        SpecVersion.VersionFlag.V202012,
                        b ->
                                b.schemaMappers(
                                        m ->
                                                m.mapPrefix(
                                                        "https://frameflow.io/schemas/",
                                                        docs.toUri().toString() + "/")));
    }

    private static JsonSchema schema(String name) {
        return factory.getSchema(SchemaLocation.of("https://frameflow.io/schemas/" + name));
    }

    private static void valid(String schema, byte[] json) throws Exception {
        JsonNode node = PLAIN.readTree(json);
        Set<ValidationMessage> problems = schema(schema).validate(node);
        assertThat(problems).as(schema + " on " + node).isEmpty();
        ObjectNode noVersion = ((ObjectNode) node.deepCopy());
        noVersion.remove("version");
        assertThat(schema(schema).validate(noVersion)).as("without version").isNotEmpty();
        ObjectNode extra = ((ObjectNode) node.deepCopy());
        extra.put("colour", "red");
        assertThat(schema(schema).validate(extra)).as("an unknown field").isNotEmpty();
        ObjectNode future = ((ObjectNode) node.deepCopy());
        future.put("version", 2);
        assertThat(schema(schema).validate(future)).as("another version").isNotEmpty();
    }

    @Test
    void detections() throws Exception {
        float[] face = {10, 20, 30, 20, 20, 30, 12, 40, 28, 40};
        float[] pose = new float[17 * 3];
        List<Detection> ds =
                List.of(
                        new Detection(
                                "person",
                                0,
                                0.9f,
                                1,
                                2,
                                30,
                                40,
                                null,
                                pose,
                                7,
                                Float.NaN,
                                "yolo11n_pose",
                                new Attribute[] {
                                    new Attribute("ppe@0a1b2c3d", "vest", 0.91f),
                                    new Attribute("colour@4e5f6a7b", "red", 0.55f)
                                }),
                        new Detection(
                                "ada", 1000, 0.8f, 5, 6, 25, 30, face, null, 8, 0.62f, "yunet"),
                        new Detection("car", 2, Float.NaN, 1, 2, 3, 4, null));
        FrameDetections d =
                new FrameDetections(
                        "cam-1",
                        42,
                        1_763_000_000_000L,
                        640,
                        480,
                        "yolo11n_pose+yunet",
                        12.5,
                        ds,
                        false,
                        "3f2a9c1d+0b1c2d3e");
        valid("detections.schema.json", new DetectionsJson().write(d, 1_763_000_000_250L));
        FrameDetections plain =
                new FrameDetections("cam-1", -1, 1, 640, 480, "yolox_nano", Double.NaN, List.of());
        valid("detections.schema.json", new DetectionsJson().write(plain, 2));
    }

    @Test
    void stats() throws Exception {
        WindowStats s =
                new WindowStats(
                        "cam-1",
                        0,
                        10_000,
                        50,
                        5.0,
                        3,
                        Map.of("person", new ClassCount(1.5, 3, 0)),
                        new Percentiles(30, 40, 50, 60),
                        new Percentiles(10, 12, 14, 20),
                        new SceneStats(
                                "shop-1",
                                Map.of("door", new LineCount(3, 1)),
                                Map.of("counter", new ZoneCount(2, 0.75, 2)),
                                Map.of("person", 4)));
        valid("stats.schema.json", new StatsJson().write(s));
        WindowStats empty =
                new WindowStats("cam-1", 0, 10_000, 0, 0, 0, null, null, null, SceneStats.NONE);
        valid("stats.schema.json", new StatsJson().write(empty));
    }

    @Test
    void events() throws Exception {
        EventsJson json = new EventsJson();
        valid(
                "events.schema.json",
                json.write(
                        new CameraEvent(
                                CameraEvent.Type.LINE_CROSS,
                                "cam-1",
                                "shop-1",
                                "door",
                                17,
                                "person",
                                1,
                                5,
                                CameraEvent.IN,
                                null,
                                0.84,
                                0.93)));
        valid(
                "events.schema.json",
                json.write(
                        new CameraEvent(
                                CameraEvent.Type.ZONE_ENTER,
                                "cam-1",
                                null,
                                "counter",
                                17,
                                "person",
                                1,
                                5,
                                null,
                                null,
                                0.5,
                                0.9)));
        valid(
                "events.schema.json",
                json.write(
                        new CameraEvent(
                                CameraEvent.Type.ZONE_EXIT,
                                "cam-1",
                                "s",
                                "counter",
                                17,
                                "person",
                                1,
                                5,
                                null,
                                12_040L,
                                0.5,
                                0.9)));
        valid(
                "events.schema.json",
                json.write(
                        new CameraEvent(
                                CameraEvent.Type.LOITER,
                                "cam-1",
                                "s",
                                "counter",
                                17,
                                "person",
                                1,
                                5,
                                null,
                                30_000L,
                                0.5,
                                0.9)));
        // a line crossing without its direction breaks the contract
        ObjectNode noDirection =
                (ObjectNode)
                        PLAIN.readTree(
                                json.write(
                                        new CameraEvent(
                                                CameraEvent.Type.LINE_CROSS,
                                                "c",
                                                null,
                                                "door",
                                                1,
                                                "person",
                                                1,
                                                1,
                                                CameraEvent.OUT,
                                                null,
                                                0.5,
                                                0.5)));
        noDirection.remove("direction");
        assertThat(schema("events.schema.json").validate(noDirection)).isNotEmpty();
    }

    @Test
    void sites() throws Exception {
        SiteStats s =
                new SiteStats(
                        "shop-1",
                        0,
                        60_000,
                        1,
                        List.of("door-cam", "till-cam"),
                        Map.of("door-cam/door", new LineCount(3, 1)),
                        Map.of("till-cam/counter", new ZoneCount(2, 1.75, 3)),
                        Map.of("person", 5));
        valid("sites.schema.json", new SitesJson().write(s));
    }
}
