package io.frameflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.metrics.FrameFlowMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dashboards, the alert rules and docs/metrics.md name FrameFlow's metrics exactly as the code
 * registers them: the one contract is {@link FrameFlowMetrics}.
 */
class MetricNamesContractTest {

    private static final Pattern NAME =
            Pattern.compile(Pattern.quote(FrameFlowMetrics.PREFIX) + "[a-z_]+");

    /** {@code operator_name="X"} in a dashboard's PromQL (quotes escaped inside the JSON). */
    private static final Pattern OPERATOR_NAME =
            Pattern.compile("operator_name=\\\\?\"([^\"\\\\]+)");

    /** Series a summary adds to its name. */
    private static final Pattern SUMMARY_SUFFIX = Pattern.compile("_(count|sum)$");

    static Set<String> namesIn(Path file) throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher m = NAME.matcher(Files.readString(file));
        while (m.find()) {
            String name = m.group();
            names.add(
                    FrameFlowMetrics.ALL.contains(name)
                            ? name
                            : SUMMARY_SUFFIX.matcher(name).replaceFirst(""));
        }
        return names;
    }

    @Test
    void dashboardsAndAlertsUseOnlyRegisteredMetrics() throws IOException {
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.list(Project.root().resolve(DashboardStructureTest.DIR))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                used.addAll(namesIn(f));
            }
        }
        used.addAll(namesIn(Project.root().resolve("monitoring/alerts.yml")));
        assertThat(used).isNotEmpty();
        assertThat(FrameFlowMetrics.ALL).containsAll(used);
    }

    @Test
    void operatorNamesUsedAsLabelsAreTheRegisteredOnes() throws IOException {
        Set<String> exported = new TreeSet<>();
        FrameFlowMetrics.OPERATORS.forEach(n -> exported.add(n.replaceAll("[^a-zA-Z0-9:_]", "_")));
        List<Path> files = new ArrayList<>();
        try (Stream<Path> dashboards =
                Files.list(Project.root().resolve(DashboardStructureTest.DIR))) {
            dashboards.filter(p -> p.toString().endsWith(".json")).forEach(files::add);
        }
        files.add(Project.root().resolve("monitoring/alerts.yml"));
        files.add(Project.root().resolve("docs/metrics.md"));
        Set<String> selected = new TreeSet<>();
        for (Path f : files) {
            Matcher m = OPERATOR_NAME.matcher(Files.readString(f));
            while (m.find()) {
                selected.add(m.group(1));
            }
        }
        assertThat(selected).isNotEmpty();
        assertThat(exported).containsAll(selected);
    }

    @Test
    void docsListEveryMetricAndNoOther() throws IOException {
        Set<String> documented = namesIn(Project.root().resolve("docs/metrics.md"));
        assertThat(documented).containsExactlyInAnyOrderElementsOf(FrameFlowMetrics.ALL);
    }
}
