package io.frameflow.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frameflow.records.CameraEvent;
import io.frameflow.records.SiteStats;
import io.frameflow.records.WindowStats;
import io.frameflow.records.json.EventsJson;
import io.frameflow.records.json.SitesJson;
import io.frameflow.testkit.EmbeddedKafkaBroker;
import io.frameflow.testkit.HeadlessChromium;
import io.frameflow.testkit.KafkaTopics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The zone editor and the event timeline in real headless Chromium: a line and a zone drawn with
 * mouse clicks on a camera's picture are published, on save, as the camera's settings document to
 * the settings topic (checked by reading the topic); the events the job writes for them show in the
 * timeline with their snapshots and in the overlay's counts. The job's side (settings to events) is
 * covered by the job's own tests and by the e2e viewer test.
 */
class ZoneEditorBrowserITCase {

    private static final String ANNOTATED = "editor-annotated";
    private static final String STATS = "editor-stats";
    private static final String EVENTS = "editor-events";
    private static final String CONFIG = "editor-config";
    private static final String SITES = "editor-sites";
    private static final String CAMERA = "door-cam";
    private static final String TOKEN = "editor-s3cret";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmbeddedKafkaBroker broker;
    private static KafkaProducer<byte[], byte[]> producer;
    private static Viewer viewer;
    private static TestCameras.Camera camera;
    private static HeadlessChromium chromium;
    private static WebDriver driver;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedKafkaBroker.shared();
        broker.createTopics(1, ANNOTATED, STATS, EVENTS, CONFIG, SITES);
        producer = TestCameras.producer(broker.bootstrapServers());
        viewer =
                Viewer.start(
                        ViewerOptions.defaults(broker.bootstrapServers())
                                .withPort(0)
                                .withToken(TOKEN)
                                .withTopics(ANNOTATED, STATS)
                                .withEventTopics(EVENTS, CONFIG)
                                .withSitesTopic(SITES));
        camera =
                new TestCameras.Camera(
                        producer, ANNOTATED, CAMERA, 8, n -> TestCameras.drawnFrame(CAMERA, n));
        chromium = new HeadlessChromium();
        driver = chromium.driver;
    }

    @AfterAll
    static void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (camera != null) {
            camera.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (viewer != null) {
            viewer.close();
        }
    }

    @Test
    void drawnLineAndZoneArePublishedAndTheirEventsShowWithSnapshots() throws Exception {
        driver.get(viewer.url() + "?token=" + TOKEN + "#camera=" + CAMERA);
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        WebElement picture = driver.findElement(By.id("detail-video"));
        wait.until(
                d ->
                        ((Number) chromium.js("return arguments[0].naturalWidth;", picture))
                                        .intValue()
                                > 0);
        wait.until(d -> driver.findElement(By.id("draw-line")).isDisplayed());

        // a line from top to bottom through the middle: two clicks
        driver.findElement(By.id("shape-name")).sendKeys("door");
        driver.findElement(By.id("draw-line")).click();
        clickAt(picture, 0.5, 0.1);
        clickAt(picture, 0.5, 0.9);
        assertThat(status()).contains("line \"door\" drawn");

        // a zone with a loiter time: three corners, then "finish zone"
        WebElement name = driver.findElement(By.id("shape-name"));
        name.clear();
        name.sendKeys("counter");
        driver.findElement(By.id("loiter")).sendKeys("5");
        driver.findElement(By.id("draw-zone")).click();
        clickAt(picture, 0.1, 0.5);
        clickAt(picture, 0.4, 0.5);
        clickAt(picture, 0.4, 0.95);
        driver.findElement(By.id("finish-zone")).click();
        assertThat(status()).contains("zone \"counter\" drawn");
        chromium.fullPage("editor-drawn.png");

        driver.findElement(By.id("save")).click();
        wait.until(d -> status().startsWith("saved"));

        // what the job reads: the camera's document on the settings topic, with the clicked points
        List<ConsumerRecord<byte[], byte[]>> published =
                KafkaTopics.read(
                                broker.bootstrapServers(),
                                CONFIG,
                                100,
                                Duration.ofSeconds(5),
                                Duration.ofSeconds(1),
                                false)
                        .stream()
                        .filter(r -> CAMERA.equals(new String(r.key(), StandardCharsets.UTF_8)))
                        .toList();
        assertThat(published).as("one save, one record").hasSize(1);
        JsonNode doc = JSON.readTree(published.get(0).value());
        JsonNode line = doc.get("lines").get(0);
        assertThat(line.get("name").asText()).isEqualTo("door");
        assertPoint(line.get("points").get(0), 0.5, 0.1);
        assertPoint(line.get("points").get(1), 0.5, 0.9);
        JsonNode zone = doc.get("zones").get(0);
        assertThat(zone.get("name").asText()).isEqualTo("counter");
        assertThat(zone.get("loiterSeconds").asDouble()).isEqualTo(5.0);
        assertThat(zone.get("polygon")).hasSize(3);
        assertPoint(zone.get("polygon").get(0), 0.1, 0.5);
        assertPoint(zone.get("polygon").get(2), 0.4, 0.95);

        // the overlay draws them from the topic with zero counts
        wait.until(d -> labelText("door").equals("door: in 0 · out 0"));
        wait.until(d -> labelText("counter").startsWith("counter: 0 inside · 0 entered"));

        // the job's events for them (as the job writes them), tied to frames the viewer has shown
        long[] shown = newestFrame();
        long seq = shown[0];
        long ts = shown[1];
        EventsJson events = new EventsJson();
        publishEvent(
                events,
                new CameraEvent(
                        CameraEvent.Type.LINE_CROSS,
                        CAMERA,
                        null,
                        "door",
                        7,
                        "person",
                        ts,
                        seq,
                        CameraEvent.IN,
                        null,
                        0.5,
                        0.6));
        publishEvent(
                events,
                new CameraEvent(
                        CameraEvent.Type.ZONE_ENTER,
                        CAMERA,
                        null,
                        "counter",
                        8,
                        "person",
                        ts,
                        seq,
                        null,
                        null,
                        0.3,
                        0.8));
        producer.flush();

        wait.until(d -> labelText("door").equals("door: in 1 · out 0"));
        wait.until(d -> labelText("counter").startsWith("counter: 1 inside · 1 entered"));
        wait.until(d -> driver.findElements(By.cssSelector("#timeline .event")).size() == 2);
        WebElement crossing =
                driver.findElement(By.cssSelector("#timeline .event[data-name='door']"));
        assertThat(crossing.getAttribute("data-type")).isEqualTo("line-cross");
        assertThat(crossing.getText()).contains("person #7 crossed door (in)");
        WebElement snap = crossing.findElement(By.cssSelector("img.snap"));
        wait.until(
                d ->
                        ((Number) chromium.js("return arguments[0].naturalWidth;", snap)).intValue()
                                > 0);
        // the snapshot is the very frame the event names (seq), as served by the API
        HttpResponse<byte[]> snapshot =
                get("api/snapshot/" + CAMERA + "/" + crossing.getAttribute("data-id"), TOKEN);
        assertThat(snapshot.statusCode()).isEqualTo(200);
        assertThat(snapshot.headers().firstValue("X-Seq")).hasValue(String.valueOf(seq));
        chromium.fullPage("editor-events-timeline.png");

        // filter by type: only the zone entry stays
        new Select(driver.findElement(By.id("filter-type"))).selectByValue("zone-enter");
        wait.until(d -> driver.findElements(By.cssSelector("#timeline .event")).size() == 1);
        assertThat(driver.findElement(By.cssSelector("#timeline .event")).getAttribute("data-name"))
                .isEqualTo("counter");
    }

    @Test
    void theSiteViewChartsTheSitesTotalsPerWindowKeepingTheNewestRevision() throws Exception {
        SitesJson json = new SitesJson();
        long end = System.currentTimeMillis() - System.currentTimeMillis() % 10_000;
        List<ProducerRecord<byte[], byte[]>> records = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            long windowEnd = end - (5 - i) * 10_000L;
            records.add(siteRecord(json, windowEnd, 0, i, i % 3, 1.5 + i));
        }
        // the last window again, with a late camera in it: the page shows this revision
        records.add(siteRecord(json, end, 1, 9, 4, 7.25));
        KafkaTopics.publish(broker.bootstrapServers(), records);

        driver.get(viewer.url() + "?token=" + TOKEN + "#site=shop-1");
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        WebElement numbers = driver.findElement(By.id("site-numbers"));
        wait.until(d -> String.valueOf(end).equals(numbers.getAttribute("data-window-end")));
        assertThat(numbers.getText())
                .isEqualTo("last window: in 9 · out 4 · occupancy 7.3 (max 8)");
        assertThat(driver.findElements(By.cssSelector("#site-cameras a")))
                .extracting(WebElement::getText)
                .containsExactly("door-cam", "late-cam");
        // the chart drew bars in green (in) and orange (out)
        wait.until(d -> ((Number) chromium.js(SITE_CHART_GREEN)).intValue() > 50);
        chromium.fullPage("site-totals.png");
        driver.get("about:blank");
    }

    private static final String SITE_CHART_GREEN =
            "const c = document.getElementById('site-chart');"
                    + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                    + "let n = 0; for (let i = 0; i < d.length; i += 4) {"
                    + " if (d[i] < 120 && d[i+1] > 180 && d[i+2] > 110 && d[i+2] < 170) n++; }"
                    + "return n;";

    private static ProducerRecord<byte[], byte[]> siteRecord(
            SitesJson json, long windowEnd, int revision, long in, long out, double occupancy) {
        List<String> cameras =
                revision == 0 ? List.of("door-cam") : List.of("door-cam", "late-cam");
        SiteStats s =
                new SiteStats(
                        "shop-1",
                        windowEnd - 10_000,
                        windowEnd,
                        revision,
                        cameras,
                        Map.of("door-cam/door", new WindowStats.LineCount(in, out)),
                        Map.of(
                                "door-cam/counter",
                                new WindowStats.ZoneCount(in, occupancy, (int) occupancy + 1)),
                        Map.of("person", (int) in));
        return new ProducerRecord<>(
                SITES, "shop-1".getBytes(StandardCharsets.UTF_8), json.write(s));
    }

    @Test
    void savingNeedsTheTokenInAHeaderAndAValidDocument() throws Exception {
        String camera = "api-only-cam";
        long before = KafkaTopics.endOffsets(broker.bootstrapServers(), CONFIG);
        String line = "{\"lines\":[{\"name\":\"door\",\"points\":[[0.5,0],[0.5,1]]}]}";
        // the cookie the page sets is not enough: another site could make a browser send it
        assertThat(
                        post("api/settings/" + camera, line, null, "frameflow_token=" + TOKEN)
                                .statusCode())
                .isEqualTo(403);
        HttpResponse<byte[]> bad =
                post(
                        "api/settings/" + camera,
                        "{\"lines\":[{\"name\":\"door\",\"points\":[[0.5,0]]}]}",
                        TOKEN,
                        null);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(new String(bad.body(), StandardCharsets.UTF_8))
                .startsWith("refused: ")
                .contains("points");
        assertThat(post("api/settings/" + camera, "not json", TOKEN, null).statusCode())
                .isEqualTo(400);
        assertThat(KafkaTopics.endOffsets(broker.bootstrapServers(), CONFIG))
                .as("nothing refused reached the topic")
                .isEqualTo(before);
        assertThat(post("api/settings/" + camera, line, TOKEN, null).statusCode()).isEqualTo(200);
        assertThat(KafkaTopics.endOffsets(broker.bootstrapServers(), CONFIG)).isEqualTo(before + 1);
    }

    private static void clickAt(WebElement picture, double x, double y) {
        int w = picture.getSize().getWidth();
        int h = picture.getSize().getHeight();
        // offsets from the element's centre (Selenium 4)
        new Actions(driver)
                .moveToElement(
                        picture, (int) Math.round((x - 0.5) * w), (int) Math.round((y - 0.5) * h))
                .click()
                .perform();
    }

    private static void assertPoint(JsonNode p, double x, double y) {
        assertThat(p.get(0).asDouble()).isCloseTo(x, org.assertj.core.data.Offset.offset(0.01));
        assertThat(p.get(1).asDouble()).isCloseTo(y, org.assertj.core.data.Offset.offset(0.01));
    }

    private static String status() {
        return driver.findElement(By.id("edit-status")).getText();
    }

    /** The overlay's label of a line or zone, read in one go (the page redraws it). */
    private static String labelText(String name) {
        return (String)
                chromium.js(
                        "const l = document.querySelector("
                                + "\"#detail .labels .label[data-name='\" + arguments[0] + \"']\");"
                                + " return l ? l.textContent : '';",
                        name);
    }

    /** Seq and capture time of the newest frame the viewer holds. */
    private static long[] newestFrame() throws Exception {
        HttpResponse<byte[]> r = get("api/frame/" + CAMERA, TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
        return new long[] {
            Long.parseLong(r.headers().firstValue("X-Seq").orElseThrow()),
            Long.parseLong(r.headers().firstValue("X-Timestamp").orElseThrow())
        };
    }

    private static void publishEvent(EventsJson json, CameraEvent e) {
        producer.send(
                new ProducerRecord<>(
                        EVENTS, CAMERA.getBytes(StandardCharsets.UTF_8), json.write(e)));
    }

    private static HttpResponse<byte[]> get(String path, String token) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(viewer.url() + path))
                                .header(AccessToken.HEADER, token)
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> post(String path, String body, String token, String cookie)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(viewer.url() + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header(AccessToken.HEADER, token);
        }
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
