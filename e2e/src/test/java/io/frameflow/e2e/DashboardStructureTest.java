package io.frameflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboards' structure (Grafana itself is not installable here): they import into
 * Grafana 10/11, every panel has a unique id, a place on the grid that overlaps no other, a PromQL
 * query and the data source picked through the {@code datasource} variable.
 */
class DashboardStructureTest {

    static final String DIR = "monitoring/grafana/dashboards";
    static final String DATASOURCE_UID = "${datasource}";

    static List<String> dashboardFiles() {
        try (Stream<Path> files = Files.list(Project.root().resolve(DIR))) {
            return files.filter(p -> p.toString().endsWith(".json"))
                    .map(p -> "grafana/dashboards/" + p.getFileName())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> dashboards() {
        List<JsonNode> out = new ArrayList<>();
        for (String f : dashboardFiles()) {
            out.add(Project.json("monitoring/" + f));
        }
        return out;
    }

    /** Panels including those nested in collapsed rows. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            out.add(p);
            p.path("panels").forEach(out::add);
        }
        return out;
    }

    @Test
    void fleetAndCameraDashboardsExist() {
        List<String> uids = dashboards().stream().map(d -> d.path("uid").asText()).toList();
        assertThat(uids).containsExactlyInAnyOrder("frameflow-camera", "frameflow-fleet");
        JsonNode camera = byUid("frameflow-camera");
        JsonNode cameraVar = variable(camera, "camera");
        assertThat(cameraVar).as("camera variable").isNotNull();
        assertThat(cameraVar.path("type").asText()).isEqualTo("query");
        assertThat(cameraVar.path("definition").asText())
                .contains("label_values(")
                .contains("camera");
        panels(camera).stream()
                .filter(p -> !p.path("type").asText().equals("row"))
                .forEach(
                        p ->
                                p.path("targets")
                                        .forEach(
                                                t ->
                                                        assertThat(t.path("expr").asText())
                                                                .as(p.path("title").asText())
                                                                .contains("camera=~\"$camera\"")));
    }

    @Test
    void fleetDashboardCoversWhatOperatorsWatch() {
        String fleet = byUid("frameflow-fleet").toString();
        for (String metric :
                List.of(
                        "camera_frames_in",
                        "camera_frames_inferred",
                        "camera_class_objects_current",
                        "camera_latency_ms",
                        "camera_reason_frames_dropped",
                        "reason_dead_letters",
                        "device_model_model_info",
                        "batch_size",
                        "inflight_requests",
                        "lastCheckpointDuration",
                        "backPressuredTimeMsPerSecond")) {
            assertThat(fleet).as(metric).contains(metric);
        }
    }

    @Test
    void structureIsValid() {
        for (JsonNode d : dashboards()) {
            String name = d.path("title").asText();
            assertThat(d.path("schemaVersion").asInt())
                    .as(name + " schemaVersion")
                    .isBetween(36, 41);
            assertThat(d.path("uid").asText()).as(name + " uid").matches("[a-z0-9-]{1,40}");
            assertThat(d.path("title").asText()).isNotBlank();
            JsonNode ds = variable(d, "datasource");
            assertThat(ds).as(name + ": datasource variable").isNotNull();
            assertThat(ds.path("type").asText()).isEqualTo("datasource");
            assertThat(ds.path("query").asText()).isEqualTo("prometheus");
            assertThat(d.has("__inputs"))
                    .as(name + ": no import-time inputs, the variable picks the data source")
                    .isFalse();

            Set<Integer> ids = new HashSet<>();
            List<int[]> boxes = new ArrayList<>();
            for (JsonNode p : panels(d)) {
                String title = name + " / " + p.path("title").asText();
                assertThat(p.path("id").isInt()).as(title + " id").isTrue();
                assertThat(ids.add(p.path("id").asInt())).as(title + " unique id").isTrue();
                JsonNode g = p.path("gridPos");
                for (String k : List.of("h", "w", "x", "y")) {
                    assertThat(g.path(k).isInt()).as(title + " gridPos." + k).isTrue();
                }
                int x = g.path("x").asInt(),
                        y = g.path("y").asInt(),
                        w = g.path("w").asInt(),
                        h = g.path("h").asInt();
                assertThat(w).as(title).isPositive();
                assertThat(h).as(title).isPositive();
                assertThat(x).as(title).isNotNegative();
                assertThat(x + w).as(title + " fits the 24-column grid").isLessThanOrEqualTo(24);
                for (int[] b : boxes) {
                    boolean overlap =
                            x < b[0] + b[2] && b[0] < x + w && y < b[1] + b[3] && b[1] < y + h;
                    assertThat(overlap).as(title + " overlaps another panel").isFalse();
                }
                boxes.add(new int[] {x, y, w, h});
                if (p.path("type").asText().equals("row")) {
                    continue;
                }
                assertThat(p.path("type").asText())
                        .as(title)
                        .isIn("timeseries", "stat", "table", "bargauge", "gauge");
                assertThat(p.path("datasource").path("uid").asText())
                        .as(title + " datasource")
                        .isEqualTo(DATASOURCE_UID);
                assertThat(p.path("targets").size()).as(title + " targets").isPositive();
                Set<String> refIds = new HashSet<>();
                for (JsonNode t : p.path("targets")) {
                    assertThat(t.path("expr").asText()).as(title + " expr").isNotBlank();
                    assertThat(t.path("datasource").path("uid").asText())
                            .as(title + " target datasource")
                            .isEqualTo(DATASOURCE_UID);
                    assertThat(refIds.add(t.path("refId").asText()))
                            .as(title + " unique refId")
                            .isTrue();
                }
            }
            assertThat(ids).as(name + " panels").hasSizeGreaterThan(5);
        }
    }

    @Test
    void provisioningPointsAtTheDashboards() {
        JsonNode provider =
                Project.yaml("monitoring/grafana/provisioning/dashboards/frameflow.yml");
        String path = provider.at("/providers/0/options/path").asText();
        JsonNode datasource =
                Project.yaml("monitoring/grafana/provisioning/datasources/prometheus.yml");
        assertThat(datasource.at("/datasources/0/type").asText()).isEqualTo("prometheus");
        // docker-compose.yml mounts the dashboards folder where the provider looks
        JsonNode grafana = Project.yaml("docker-compose.yml").at("/services/grafana");
        assertThat(Project.strings(grafana.path("volumes")))
                .contains("./" + DIR + ":" + path + ":ro");
    }

    static JsonNode byUid(String uid) {
        return dashboards().stream()
                .filter(d -> d.path("uid").asText().equals(uid))
                .findFirst()
                .orElseThrow();
    }

    static JsonNode variable(JsonNode dashboard, String name) {
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (v.path("name").asText().equals(name)) {
                return v;
            }
        }
        return null;
    }

    /** Every PromQL expression of every panel (and variable query) of every dashboard. */
    static List<String> expressions() {
        List<String> out = new ArrayList<>();
        for (JsonNode d : dashboards()) {
            for (JsonNode p : panels(d)) {
                p.path("targets").forEach(t -> out.add(t.path("expr").asText()));
            }
        }
        return out;
    }
}
