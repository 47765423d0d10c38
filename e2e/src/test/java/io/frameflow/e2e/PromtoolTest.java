package io.frameflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.testkit.RequiredTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code promtool} (Debian package prometheus; scripts/install-test-deps.sh installs it) checks the
 * scrape configs, the alert rules, and the PromQL of every dashboard panel.
 */
class PromtoolTest {

    @BeforeAll
    static void promtoolInstalled() {
        RequiredTool.require(
                Prometheus.onPath("promtool"),
                "promtool not on PATH: install the Debian package prometheus"
                        + " (scripts/install-test-deps.sh does) to run the Prometheus checks");
    }

    @Test
    void scrapeConfigsPass() throws Exception {
        for (String config :
                List.of("monitoring/prometheus.yml", "monitoring/prometheus-docker.yml")) {
            Result r = promtool("check", "config", Project.file(config).toString());
            assertThat(r.exit).as(r.output).isZero();
            assertThat(r.output).contains("SUCCESS");
        }
    }

    @Test
    void alertRulesPass() throws Exception {
        Result r = promtool("check", "rules", Project.file("monitoring/alerts.yml").toString());
        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output).contains("SUCCESS: " + Promql.alertRules().size() + " rules found");
    }

    @Test
    void dashboardQueriesAreValidPromql(@TempDir Path dir) throws Exception {
        List<String> exprs = DashboardStructureTest.expressions();
        assertThat(exprs).hasSizeGreaterThan(20);
        Path rules = dir.resolve("dashboard-queries.yml");
        StringBuilder yaml =
                new StringBuilder("groups:\n  - name: dashboard-queries\n    rules:\n");
        for (int i = 0; i < exprs.size(); i++) {
            String expr = Promql.resolveGrafana(exprs.get(i), "cam-1");
            yaml.append("      - record: frameflow:dashboard_query_").append(i).append('\n');
            yaml.append("        expr: ")
                    .append(Project.JSON.writeValueAsString(expr))
                    .append('\n');
        }
        Files.writeString(rules, yaml);
        Result r = promtool("check", "rules", rules.toString());
        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output).contains("SUCCESS: " + exprs.size() + " rules found");

        // and the check can fail: a syntax error is reported
        Files.writeString(
                rules,
                "groups:\n  - name: g\n    rules:\n      - record: x\n        expr: sum(rate(x[1m])\n");
        assertThat(promtool("check", "rules", rules.toString()).exit).isNotZero();
    }

    record Result(int exit, String output) {}

    static Result promtool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("promtool");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
