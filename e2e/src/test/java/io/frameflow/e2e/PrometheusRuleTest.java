package io.frameflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus Operator path gets the same alert rules as the rule-file path: {@code
 * k8s-operator/base/prometheusrule.yaml} carries {@code monitoring/alerts.yml}'s groups as they are
 * (promtool checks those in {@link PromtoolTest}), and is selected like the PodMonitor.
 */
class PrometheusRuleTest {

    @Test
    void prometheusRuleCarriesTheAlertRulesAsTheyAre() {
        ObjectNode rule =
                Project.manifest("k8s-operator/base/prometheusrule.yaml", "PrometheusRule");
        JsonNode podMonitor = Project.manifest("k8s-operator/base/podmonitor.yaml", "PodMonitor");
        assertThat(rule.at("/metadata/namespace")).isEqualTo(podMonitor.at("/metadata/namespace"));
        // kube-prometheus-stack's rule selector matches the release label, as for the PodMonitor
        assertThat(rule.at("/metadata/labels/release"))
                .isEqualTo(podMonitor.at("/metadata/labels/release"));
        JsonNode groups = Project.yaml("monitoring/alerts.yml").path("groups");
        assertThat(groups.size()).isPositive();
        assertThat(rule.at("/spec/groups")).isEqualTo(groups);
        assertThat(
                        Project.yaml("k8s-operator/base/kustomization.yaml")
                                .path("resources")
                                .toString())
                .contains("prometheusrule.yaml");
    }
}
