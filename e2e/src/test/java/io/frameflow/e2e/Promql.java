package io.frameflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The PromQL of the dashboards and alert rules, ready to run outside Grafana. */
final class Promql {

    private Promql() {}

    /** Grafana's variables replaced the way Grafana would for a 5-minute view of {@code camera}. */
    static String resolveGrafana(String expr, String cameraRegex) {
        return expr.replace("$__rate_interval", "1m")
                .replace("$__interval", "15s")
                .replace("$__range", "5m")
                .replace("${camera}", cameraRegex)
                .replace("$camera", cameraRegex);
    }

    record AlertRule(String name, String expr, String signal) {}

    /**
     * The alert rules of monitoring/alerts.yml with each one's signal: the expression before its
     * final top-level comparison with a number (the rule file's documented convention).
     */
    static List<AlertRule> alertRules() {
        List<AlertRule> out = new ArrayList<>();
        for (JsonNode group : Project.yaml("monitoring/alerts.yml").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String name = rule.path("alert").asText();
                assertThat(name).as("every rule is an alert").isNotBlank();
                String expr = rule.path("expr").asText();
                out.add(new AlertRule(name, expr, signal(name, expr)));
            }
        }
        return out;
    }

    static String signal(String name, String expr) {
        int depth = 0;
        int cut = -1;
        boolean quoted = false;
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (quoted) {
                continue;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (depth == 0 && (c == '>' || c == '<' || c == '=' || c == '!')) {
                cut = i;
                break;
            }
        }
        assertThat(cut).as(name + ": `<signal> <comparison> <number>`: " + expr).isPositive();
        String threshold = expr.substring(cut).replaceFirst("^(==|!=|>=|<=|>|<)", "").trim();
        assertThat(threshold).as(name + " threshold").matches("-?[0-9.]+");
        return expr.substring(0, cut).trim();
    }
}
