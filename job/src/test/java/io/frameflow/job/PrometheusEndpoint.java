package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;

/**
 * Flink's Prometheus reporter on a free port of a test MiniCluster, scraped over HTTP like
 * Prometheus would, and the sums the metric tests read from a scrape.
 */
final class PrometheusEndpoint {

    private static final Pattern LINE = Pattern.compile("^(\\w+)\\{([^}]*)\\} (\\S+)$");

    private final int port = freePort();

    /** The MiniCluster settings that start the reporter on this endpoint's port. */
    Configuration reporterConfig() {
        Configuration conf = new Configuration();
        conf.setString(
                "metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        conf.setString("metrics.reporter.prom.port", String.valueOf(port));
        return conf;
    }

    /** One GET of {@code /metrics} (fails the test unless it answers 200). */
    String scrape() throws Exception {
        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create("http://localhost:" + port + "/metrics"))
                                        .timeout(Duration.ofSeconds(10))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** One series of a scrape: metric name, the label text inside the braces, value. */
    record Sample(String metric, String labels, double value) {}

    /** The series of {@code metric} whose label text contains every one of {@code labelParts}. */
    static List<Sample> samples(String body, String metric, String... labelParts) {
        List<Sample> out = new ArrayList<>();
        for (String l : body.split("\n")) {
            Matcher m = LINE.matcher(l);
            if (m.matches()
                    && m.group(1).equals(metric)
                    && Arrays.stream(labelParts).allMatch(m.group(2)::contains)) {
                out.add(new Sample(m.group(1), m.group(2), Double.parseDouble(m.group(3))));
            }
        }
        return out;
    }

    /** Sum of a metric over the series whose labels contain every given part. */
    static double sum(String body, String metric, String... labelParts) {
        return samples(body, metric, labelParts).stream().mapToDouble(Sample::value).sum();
    }

    /**
     * Largest value of a metric over the series whose labels contain every given part (0 if none).
     */
    static double max(String body, String metric, String... labelParts) {
        return samples(body, metric, labelParts).stream()
                .mapToDouble(Sample::value)
                .max()
                .orElse(0);
    }

    /** Sum over subtasks of one metric per value of a label, e.g. frames_in per camera. */
    static Map<String, Double> sumBy(String body, String metric, String label) {
        Pattern labelValue = Pattern.compile(label + "=\"([^\"]*)\"");
        Map<String, Double> sums = new TreeMap<>();
        for (Sample s : samples(body, metric)) {
            Matcher l = labelValue.matcher(s.labels());
            if (l.find()) {
                sums.merge(l.group(1), s.value(), Double::sum);
            }
        }
        return sums;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
