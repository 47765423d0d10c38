package io.frameflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium driven through chromedriver's W3C WebDriver HTTP API (Debian packages chromium
 * and chromium-driver): opens a page, waits until a script says it has rendered, and saves a
 * screenshot. No Selenium: a handful of HTTP calls.
 */
final class WebUiScreenshot {

    private WebUiScreenshot() {}

    /**
     * Opens {@code url}, waits until {@code readyScript} (a JavaScript expression) is true, and
     * writes a PNG to {@code target}.
     */
    static void capture(String url, String readyScript, Path target, Duration timeout)
            throws Exception {
        int port = FrameFlowCluster.freePort();
        Path log = target.resolveSibling(target.getFileName() + ".chromedriver.log");
        Process driver =
                new ProcessBuilder("chromedriver", "--port=" + port)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port;
        String session = null;
        try {
            FrameFlowCluster.waitFor(
                    "chromedriver", Duration.ofSeconds(30), () -> status(http, base) == 200);
            ObjectNode caps = Project.JSON.createObjectNode();
            ObjectNode chrome =
                    caps.putObject("capabilities")
                            .putObject("alwaysMatch")
                            .putObject("goog:chromeOptions");
            chrome.putArray("args")
                    .add("--headless=new")
                    .add("--no-sandbox")
                    .add("--disable-gpu")
                    .add("--disable-dev-shm-usage")
                    .add("--window-size=1600,1000");
            JsonNode created = call(http, "POST", base + "/session", caps.toString());
            session = created.at("/value/sessionId").asText();
            assertThat(session).as("chromedriver session: " + created).isNotBlank();
            String s = base + "/session/" + session;
            call(
                    http,
                    "POST",
                    s + "/url",
                    Project.JSON.createObjectNode().put("url", url).toString());
            ObjectNode script =
                    Project.JSON
                            .createObjectNode()
                            .put("script", "return !!(" + readyScript + ");");
            script.putArray("args");
            FrameFlowCluster.waitFor(
                    "page rendered (" + readyScript + ") at " + url,
                    timeout,
                    () ->
                            call(http, "POST", s + "/execute/sync", script.toString())
                                    .path("value")
                                    .asBoolean());
            Thread.sleep(1000); // let the graph's layout animation settle
            String png = call(http, "GET", s + "/screenshot", null).path("value").asText();
            Files.write(target, Base64.getDecoder().decode(png));
        } finally {
            if (session != null) {
                try {
                    call(http, "DELETE", base + "/session/" + session, null);
                } catch (Exception e) {
                    // the driver goes away below anyway
                }
            }
            driver.destroy();
            if (!driver.waitFor(10, TimeUnit.SECONDS)) {
                driver.destroyForcibly();
            }
        }
    }

    private static JsonNode call(HttpClient http, String method, String url, String body)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(
                method,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + url + ": " + r.body()).isEqualTo(200);
        return Project.JSON.readTree(r.body());
    }

    private static int status(HttpClient http, String base) {
        try {
            return http.send(
                            HttpRequest.newBuilder(URI.create(base + "/status"))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
