package io.frameflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.frameflow.testkit.HeadlessChromium;
import io.frameflow.testkit.SharedResources;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 18's loop, all real: a person draws the exit line on a camera's picture in the viewer
 * (headless Chromium, mouse clicks) and saves; the producer publishes the one-by-one clip as that
 * camera; the job (its jar on a standalone cluster, no camera config file) reads the line from the
 * settings topic the viewer wrote, tracks the six people and writes their crossings; the viewer's
 * page shows the count on the line and six crossings in its timeline, each with the annotated frame
 * of its own seq as snapshot.
 *
 * <p>The clip by eye (see {@link ProducerClipEventsITCase}): six people walk off to the right,
 * their feet crossing x = 0.75 once each; drawn from top to bottom, that is {@code out}.
 */
class ViewerLoopITCase {

    private static final String CAMERA = ProducerClipEventsITCase.CAMERA;
    private static final String TOKEN = "loop-token-1";
    private static final Duration TIMEOUT = Duration.ofSeconds(300);

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void aLineDrawnInTheViewerCountsTheClipsSixExits() throws Throwable {
        FrameFlowCluster cluster =
                FrameFlowCluster.start(
                        "cluster-viewer-loop", 1, 2, List.of("taskmanager.numberOfTaskSlots=2"));
        Process viewer = null;
        HeadlessChromium chromium = null;
        try {
            String bootstrap = cluster.broker.bootstrapServers();
            cluster.broker.createTopics(
                    1, "vl-in", "vl-det", "vl-ann", "vl-st", "vl-ev", "vl-dlq", "vl-cfg");
            int port = FrameFlowCluster.freePort();
            Path logs = Files.createDirectories(cluster.runDir.resolve("viewer-loop"));
            viewer =
                    new ProcessBuilder(
                                    java(),
                                    "-Xmx256m",
                                    "-jar",
                                    jar("viewer/target/frameflow-viewer.jar").toString(),
                                    "--bootstrap-servers=" + bootstrap,
                                    "--port=" + port,
                                    "--token=" + TOKEN,
                                    "--annotated-topic=vl-ann",
                                    "--stats-topic=vl-st",
                                    "--events-topic=vl-ev",
                                    "--config-topic=vl-cfg")
                            .redirectErrorStream(true)
                            .redirectOutput(logs.resolve("viewer.log").toFile())
                            .start();
            String page = "http://127.0.0.1:" + port + "/";
            Process viewerProcess = viewer;
            FrameFlowCluster.waitFor(
                    "the viewer to answer",
                    Duration.ofSeconds(60),
                    () -> {
                        assertThat(viewerProcess.isAlive()).as("viewer running").isTrue();
                        try {
                            return get(page + "healthz").statusCode() == 200;
                        } catch (java.io.IOException e) {
                            return false;
                        }
                    });

            // 1. draw the exit line on the camera's view and save it
            chromium = new HeadlessChromium();
            WebDriver driver = chromium.driver;
            driver.get(page + "?token=" + TOKEN + "#camera=" + CAMERA);
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
            wait.until(d -> d.findElement(By.id("draw-line")).isDisplayed());
            WebElement picture = driver.findElement(By.id("detail-video"));
            driver.findElement(By.id("shape-name")).sendKeys("exit");
            driver.findElement(By.id("draw-line")).click();
            clickAt(driver, picture, 0.75, 0.01);
            clickAt(driver, picture, 0.75, 0.99);
            driver.findElement(By.id("save")).click();
            wait.until(d -> d.findElement(By.id("edit-status")).getText().startsWith("saved"));

            // 2. the camera publishes the clip
            publishClip(bootstrap, logs);

            // 3. the job, with no camera config: the line comes from the topic the viewer wrote
            cluster.runJob(
                    cluster.jobArgs(
                            "yolox_nano.onnx",
                            "vl",
                            "2 s",
                            "--topic.frames",
                            "vl-in",
                            "--topic.detections",
                            "vl-det",
                            "--topic.annotated",
                            "vl-ann",
                            "--topic.stats",
                            "vl-st",
                            "--topic.events",
                            "vl-ev",
                            "--topic.dlq",
                            "vl-dlq",
                            "--topic.config",
                            "vl-cfg"),
                    2,
                    null);

            // 4. the page shows the count on the line and the crossings with their snapshots
            WebDriverWait slow = new WebDriverWait(driver, TIMEOUT);
            slow.until(d -> label(d, "exit").equals("exit: in 0 · out 6"));
            wait.until(
                    d ->
                            d.findElements(
                                                    By.cssSelector(
                                                            "#timeline .event[data-type='line-cross']"))
                                            .size()
                                    == 6);
            wait.until(
                    d ->
                            ((Number)
                                                    ((org.openqa.selenium.JavascriptExecutor) d)
                                                            .executeScript(
                                                                    "return [...document.querySelectorAll("
                                                                            + "'#timeline img.snap')]"
                                                                            + ".filter(i => i.naturalWidth > 0).length;"))
                                            .intValue()
                                    == 6);
            chromium.fullPage("viewer-loop-six-exits.png");

            JsonNode events =
                    Project.JSON.readTree(
                            get(page + "api/events/" + CAMERA + "?type=line-cross").body());
            List<Long> tracks = new ArrayList<>();
            for (JsonNode e : events.path("events")) {
                assertThat(e.path("direction").asText()).isEqualTo("out");
                assertThat(e.path("snapshot").asBoolean()).isTrue();
                tracks.add(e.path("trackId").asLong());
                HttpResponse<String> snap =
                        get(page + "api/snapshot/" + CAMERA + "/" + e.path("id").asLong());
                assertThat(snap.statusCode()).isEqualTo(200);
                assertThat(snap.headers().firstValue("X-Seq"))
                        .as("the snapshot is the frame that decided the crossing")
                        .hasValue(e.path("seq").asText());
            }
            assertThat(tracks).hasSize(6).doesNotHaveDuplicates();
        } finally {
            if (chromium != null) {
                chromium.close();
            }
            if (viewer != null) {
                viewer.destroy();
                viewer.waitFor(10, TimeUnit.SECONDS);
            }
            cluster.close();
        }
    }

    private void publishClip(String bootstrap, Path logs) throws Exception {
        Path clip = SharedResources.media("video/one-by-one-person-detection.mp4");
        Path log = logs.resolve("producer.log");
        Process p =
                new ProcessBuilder(
                                java(),
                                "-Xmx512m",
                                "-jar",
                                jar("producer/target/frameflow-producer.jar").toString(),
                                "produce",
                                "-b",
                                bootstrap,
                                "-t",
                                "vl-in",
                                "--source",
                                CAMERA + "=" + clip,
                                "--fps",
                                "5",
                                "--as-fast-as-possible",
                                "--progress",
                                "log")
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("the producer finishes").isTrue();
        assertThat(p.exitValue()).as("producer exit code; log: " + Files.readString(log)).isZero();
    }

    /** The overlay's label of a line or zone, read in one go (the page redraws it). */
    private static String label(WebDriver d, String name) {
        Object text =
                ((org.openqa.selenium.JavascriptExecutor) d)
                        .executeScript(
                                "const l = document.querySelector("
                                        + "\"#detail .labels .label[data-name='\" + arguments[0] + \"']\");"
                                        + " return l ? l.textContent : '';",
                                name);
        return (String) text;
    }

    private static void clickAt(WebDriver driver, WebElement picture, double x, double y) {
        int w = picture.getSize().getWidth();
        int h = picture.getSize().getHeight();
        new Actions(driver)
                .moveToElement(
                        picture, (int) Math.round((x - 0.5) * w), (int) Math.round((y - 0.5) * h))
                .click()
                .perform();
    }

    private HttpResponse<String> get(String url) throws java.io.IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("X-FrameFlow-Token", TOKEN)
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Path jar(String relative) {
        Path jar = Project.root().resolve(relative);
        assertThat(jar).as("run with mvn verify: its module builds " + relative).isRegularFile();
        return jar;
    }
}
