package io.frameflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.frameflow.records.metrics.FrameFlowMetrics;
import io.frameflow.testkit.RequiredTool;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus server (Debian package prometheus) scrapes the running job on the local cluster
 * with the alert rules loaded; then every PromQL expression of every dashboard panel and variable,
 * and the signal of every alert rule, must return data through the HTTP API: no panel stays empty
 * and no alert waits on a metric that does not exist.
 */
@ExtendWith(FrameFlowClusterExtension.class)
class PrometheusITCase {

    static final String FRAMES_IN = FrameFlowMetrics.FRAMES_IN;

    @Test
    void everyPanelAndAlertRuleReturnsData(FrameFlowCluster cluster, @TempDir Path dir)
            throws Exception {
        RequiredTool.require(
                Prometheus.onPath("prometheus"),
                "prometheus not on PATH: install the Debian package prometheus"
                        + " (scripts/install-test-deps.sh does) to run this test");
        assertThat(cluster.get("/jobs/" + cluster.jobId).path("state").asText())
                .isEqualTo("RUNNING");

        int port = FrameFlowCluster.freePort();
        StringBuilder targets = new StringBuilder();
        for (int p = cluster.promPortFirst; p < cluster.promPortFirst + 3; p++) {
            targets.append(targets.length() == 0 ? "" : ", ")
                    .append("\"localhost:")
                    .append(p)
                    .append('"');
        }
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "global:",
                        "  scrape_interval: 1s",
                        "  evaluation_interval: 1s",
                        "rule_files:",
                        "  - " + Project.file("monitoring/alerts.yml"),
                        "scrape_configs:",
                        "  - job_name: flink",
                        "    static_configs:",
                        "      - targets: [" + targets + "]",
                        ""));
        Process prometheus =
                new ProcessBuilder(
                                "prometheus",
                                "--config.file=" + config,
                                "--storage.tsdb.path=" + dir.resolve("data"),
                                "--web.listen-address=127.0.0.1:" + port,
                                "--log.level=warn")
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("prometheus.log").toFile())
                        .start();
        String api = "http://127.0.0.1:" + port;
        try {
            FrameFlowCluster.waitFor(
                    "Prometheus ready",
                    Duration.ofSeconds(60),
                    () -> {
                        assertThat(prometheus.isAlive())
                                .as(Files.readString(dir.resolve("prometheus.log")))
                                .isTrue();
                        return status(cluster, api + "/-/ready") == 200;
                    });
            // the JobManager and the TaskManager are up, and the job's camera metrics arrived
            FrameFlowCluster.waitFor(
                    "JobManager and TaskManager scraped",
                    Duration.ofSeconds(60),
                    () -> query(cluster, api, "sum(up)").path(0).at("/value/1").asDouble() >= 2);
            FrameFlowCluster.waitFor(
                    "camera metrics scraped",
                    Duration.ofSeconds(60),
                    () -> query(cluster, api, FRAMES_IN).size() > 0);
            String camera =
                    query(cluster, api, "group by (camera) (" + FRAMES_IN + ")")
                            .path(0)
                            .at("/metric/camera")
                            .asText();
            assertThat(camera).isNotBlank();

            Map<String, String> expressions = new LinkedHashMap<>();
            for (JsonNode d : DashboardStructureTest.dashboards()) {
                for (JsonNode p : DashboardStructureTest.panels(d)) {
                    int i = 0;
                    for (JsonNode t : p.path("targets")) {
                        expressions.put(
                                d.path("uid").asText()
                                        + " / "
                                        + p.path("title").asText()
                                        + " #"
                                        + i++,
                                Promql.resolveGrafana(t.path("expr").asText(), camera));
                    }
                }
                for (JsonNode v : d.path("templating").path("list")) {
                    String def = v.path("definition").asText();
                    if (def.startsWith("label_values(")) {
                        // label_values(metric, label) is Grafana's: the metric must have the label
                        String inner =
                                def.substring("label_values(".length(), def.lastIndexOf(','));
                        String label =
                                def.substring(def.lastIndexOf(',') + 1, def.length() - 1).trim();
                        expressions.put(
                                d.path("uid").asText() + " / variable " + v.path("name").asText(),
                                "group by (" + label + ") (" + inner + "{" + label + "!=\"\"})");
                    }
                }
            }
            for (Promql.AlertRule rule : Promql.alertRules()) {
                expressions.put("alert " + rule.name() + " (signal)", rule.signal());
            }
            assertThat(expressions).hasSizeGreaterThan(40);

            // rate() over [1m] needs two samples: give the scrapes a few seconds, then demand data
            List<String> empty = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (Map.Entry<String, String> e : expressions.entrySet()) {
                JsonNode result = query(cluster, api, e.getValue());
                while (result.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(1000);
                    result = query(cluster, api, e.getValue());
                }
                if (result.isEmpty()) {
                    empty.add(e.getKey() + ": " + e.getValue());
                }
            }
            assertThat(empty).as("expressions without data").isEmpty();

            // and the alert rules are loaded and have been evaluated without errors ("unknown"
            // is a rule never evaluated yet: wait for an evaluation, never accept it)
            long rulesDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            List<JsonNode> loaded = ruleList(cluster, api);
            while (loaded.stream().anyMatch(r -> r.path("health").asText().equals("unknown"))
                    && System.nanoTime() < rulesDeadline) {
                Thread.sleep(1000);
                loaded = ruleList(cluster, api);
            }
            for (JsonNode r : loaded) {
                assertThat(r.path("health").asText())
                        .as(r.path("name").asText() + ": " + r.path("lastError").asText())
                        .isEqualTo("ok");
                assertThat(r.path("lastEvaluation").asText())
                        .as(r.path("name").asText() + " evaluated")
                        .isNotEmpty()
                        .doesNotStartWith("0001-01-01");
            }
            assertThat(loaded).hasSize(Promql.alertRules().size());
        } finally {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
    }

    /** Every rule of every group, as /api/v1/rules lists them. */
    static List<JsonNode> ruleList(FrameFlowCluster cluster, String api) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode g : get(cluster, api + "/api/v1/rules").path("data").path("groups")) {
            g.path("rules").forEach(out::add);
        }
        return out;
    }

    /** The result vector of an instant query (fails on a PromQL error). */
    static JsonNode query(FrameFlowCluster cluster, String api, String promql) throws Exception {
        JsonNode body =
                get(
                        cluster,
                        api
                                + "/api/v1/query?query="
                                + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        assertThat(body.path("status").asText()).as(promql + ": " + body).isEqualTo("success");
        JsonNode data = body.path("data");
        if (data.path("resultType").asText().equals("scalar")) {
            return Project.JSON.createArrayNode().add(data);
        }
        return data.path("result");
    }

    static JsonNode get(FrameFlowCluster cluster, String url) throws Exception {
        HttpResponse<String> r =
                cluster.http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return Project.JSON.readTree(r.body());
    }

    static int status(FrameFlowCluster cluster, String url) {
        try {
            return cluster.http
                    .send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
