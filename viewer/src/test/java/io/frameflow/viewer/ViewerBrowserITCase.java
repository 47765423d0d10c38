package io.frameflow.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.testkit.EmbeddedKafkaBroker;
import io.frameflow.testkit.HeadlessChromium;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The viewer page in real headless Chromium, fed by cameras publishing to the embedded broker.
 * Screenshots land in {@code target/screenshots/}.
 */
class ViewerBrowserITCase {

    private static final String ANNOTATED = "browser-annotated";
    private static final String STATS = "browser-stats";
    private static final List<String> FIRST_THREE = List.of("cam-a", "cam-b", "cam-c");

    private static EmbeddedKafkaBroker broker;
    private static KafkaProducer<byte[], byte[]> producer;
    private static Viewer viewer;
    private static final List<TestCameras.Camera> cameras = new ArrayList<>();
    private static HeadlessChromium chromium;
    private static WebDriver driver;
    private static Path shots;
    private static Thread statsThread;
    private static volatile boolean statsRunning = true;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedKafkaBroker.shared();
        broker.createTopics(2, ANNOTATED, STATS);
        producer = TestCameras.producer(broker.bootstrapServers());
        viewer =
                Viewer.start(
                        ViewerOptions.defaults(broker.bootstrapServers())
                                .withPort(0)
                                .withTopics(ANNOTATED, STATS));
        for (String cam : FIRST_THREE) {
            cameras.add(camera(cam));
        }
        statsThread = new Thread(ViewerBrowserITCase::publishStatsEverySecond, "test-stats");
        statsThread.setDaemon(true);
        statsThread.start();
        chromium = new HeadlessChromium();
        driver = chromium.driver;
        shots = chromium.shots;
    }

    private static TestCameras.Camera camera(String id) {
        return new TestCameras.Camera(
                producer, ANNOTATED, id, 8, n -> TestCameras.drawnFrame(id, n));
    }

    /** Changing numbers, as a running job would produce. */
    private static void publishStatsEverySecond() {
        for (int n = 0; statsRunning; n++) {
            for (String cam : FIRST_THREE) {
                send(
                        TestCameras.statsJson(
                                cam,
                                System.currentTimeMillis(),
                                8,
                                n % 4,
                                n % 4 + 1,
                                100 + n,
                                null),
                        cam);
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void send(String json, String cam) {
        producer.send(
                new ProducerRecord<>(
                        STATS,
                        cam.getBytes(StandardCharsets.UTF_8),
                        json.getBytes(StandardCharsets.UTF_8)));
    }

    @AfterAll
    static void stop() throws Exception {
        statsRunning = false;
        if (chromium != null) {
            chromium.close();
        }
        for (TestCameras.Camera c : cameras) {
            c.close();
        }
        if (statsThread != null) {
            statsThread.join(3000);
        }
        if (producer != null) {
            producer.close();
        }
        if (viewer != null) {
            viewer.close();
        }
    }

    @Test
    void showsEveryCameraLiveWithItsNumbers() throws Exception {
        driver.get(viewer.url());
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));

        // 1. three tiles, one per camera, in camera order
        wait.until(d -> tileIds().size() == 3);
        assertThat(tileIds()).containsExactlyElementsOf(FIRST_THREE);

        // 2. every tile's video is live: its pixels change between two screenshots
        for (String cam : FIRST_THREE) {
            WebElement img = video(cam);
            wait.until(d -> naturalWidth(img) > 0);
        }
        Map<String, BufferedImage> first = new HashMap<>();
        for (String cam : FIRST_THREE) {
            first.put(cam, shot(video(cam), "tile-" + cam + "-1.png"));
        }
        Thread.sleep(1500);
        for (String cam : FIRST_THREE) {
            BufferedImage second = shot(video(cam), "tile-" + cam + "-2.png");
            assertThat(differentPixels(first.get(cam), second))
                    .as("pixels of %s changed between two screenshots 1.5 s apart", cam)
                    .isGreaterThan(100);
        }
        fullPage("grid-3-cameras.png");

        // 3. the numbers shown are those of the latest stats record
        statsRunning = false;
        statsThread.join(3000);
        long end = System.currentTimeMillis() + 60_000; // newer than any window sent so far
        Map<String, double[]> last = new HashMap<>(); // fps, avg, max, p95
        double[][] values = {{7.8, 1.5, 2, 123.4}, {9.6, 2.5, 4, 87.6}, {12.2, 0.5, 1, 250.0}};
        for (int i = 0; i < 3; i++) {
            String cam = FIRST_THREE.get(i);
            double[] v = values[i];
            send(
                    TestCameras.statsJson(
                            cam, end, v[0], v[1], (int) v[2], v[3], i == 0 ? "car" : null),
                    cam);
            last.put(cam, v);
        }
        producer.flush();
        for (String cam : FIRST_THREE) {
            double[] v = last.get(cam);
            String expectedNumbers =
                    String.format(Locale.ROOT, "%.1f fps · p95 %d ms", v[0], Math.round(v[3]));
            wait.until(d -> numbers(cam).equals(expectedNumbers));
            // read the chips in one go: the page may re-render them between two calls
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> chips = (List<Map<String, Object>>) js(chipsScript(cam));
            List<String> classes = new ArrayList<>();
            for (Map<String, Object> chip : chips) {
                classes.add((String) chip.get("cls"));
            }
            assertThat(classes)
                    .containsExactlyElementsOf(
                            cam.equals("cam-a") ? List.of("car", "person") : List.of("person"));
            Map<String, Object> person = chips.get(classes.indexOf("person"));
            assertThat(Double.parseDouble((String) person.get("avg"))).isEqualTo(v[1]);
            assertThat(Integer.parseInt((String) person.get("max"))).isEqualTo((int) v[2]);
            assertThat(person.get("avgText")).isEqualTo(String.format(Locale.ROOT, "%.1f", v[1]));
            assertThat(person.get("maxText")).isEqualTo("max " + (int) v[2]);
        }
        fullPage("grid-latest-stats.png");

        // 4. a fourth camera appears without a reload
        js("window.__frameflowNoReload = 'still here';");
        cameras.add(camera("cam-d"));
        wait.until(d -> tileIds().size() == 4);
        assertThat(tileIds()).containsExactly("cam-a", "cam-b", "cam-c", "cam-d");
        assertThat(js("return window.__frameflowNoReload;")).isEqualTo("still here");
        wait.until(d -> naturalWidth(video("cam-d")) > 0);
        BufferedImage d1 = shot(video("cam-d"), "tile-cam-d-1.png");
        Thread.sleep(1500);
        BufferedImage d2 = shot(video("cam-d"), "tile-cam-d-2.png");
        assertThat(differentPixels(d1, d2)).isGreaterThan(100);
        fullPage("grid-4-cameras.png");

        // 4b. sixteen cameras: every tile is live at once, all over one connection (an MJPEG
        // stream per tile would run out of the browser's six connections per host)
        for (char c = 'e'; c <= 'p'; c++) {
            cameras.add(camera("cam-" + c));
        }
        wait.until(d -> tileIds().size() == 16);
        List<String> sixteen = tileIds();
        wait.until(d -> sixteen.stream().allMatch(cam -> framesShown(cam) > 0));
        Map<String, Long> before = new HashMap<>();
        for (String cam : sixteen) {
            before.put(cam, framesShown(cam));
        }
        BufferedImage p1 = shot(video("cam-p"), "tile-cam-p-1.png");
        Thread.sleep(3000);
        for (String cam : sixteen) {
            assertThat(framesShown(cam) - before.get(cam))
                    .as("new frames shown in the %s tile within 3 s", cam)
                    .isGreaterThanOrEqualTo(3);
            assertThat(video(cam).getAttribute("src")).startsWith("blob:");
        }
        assertThat(differentPixels(p1, shot(video("cam-p"), "tile-cam-p-2.png")))
                .isGreaterThan(100);
        assertThat(viewer.activeStreams()).as("one connection carries all tiles").isEqualTo(1);
        fullPage("grid-16-cameras-live.png");

        // 5. a click opens one camera large, with its person chart
        tile("cam-b").click();
        WebElement detail = driver.findElement(By.id("detail"));
        wait.until(d -> detail.isDisplayed());
        assertThat(driver.findElement(By.id("grid")).isDisplayed()).isFalse();
        assertThat(driver.findElement(By.id("detail-camera")).getText()).isEqualTo("cam-b");
        WebElement big = driver.findElement(By.id("detail-video"));
        wait.until(d -> naturalWidth(big) > 0);
        assertThat(big.getSize().getWidth()).isGreaterThan(video("cam-b").getSize().getWidth());
        // the chart has drawn its line: some pixels in the plot area are the line's blue
        wait.until(d -> ((Number) js(CHART_BLUE_PIXELS)).intValue() > 20);
        assertThat(driver.findElement(By.id("detail-numbers")).getText())
                .isEqualTo(String.format(Locale.ROOT, "%.1f fps · p95 %d ms", 9.6, 88));
        fullPage("detail-cam-b.png");

        // 6. back to the grid: the tiles stream again
        driver.findElement(By.id("back")).click();
        wait.until(d -> driver.findElement(By.id("grid")).isDisplayed());
        assertThat(detail.isDisplayed()).isFalse();
        wait.until(d -> naturalWidth(video("cam-a")) > 0);
        assertThat(js("return window.__frameflowNoReload;")).isEqualTo("still here");
    }

    private static final String CHART_BLUE_PIXELS =
            "const c = document.getElementById('chart');"
                    + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                    + "let n = 0; for (let i = 0; i < d.length; i += 4) {"
                    + " if (d[i] < 120 && d[i+1] > 140 && d[i+2] > 220 && d[i+3] > 200) n++; }"
                    + "return n;";

    private static String chipsScript(String cam) {
        return "return [...document.querySelectorAll(\"#grid .tile[data-camera='"
                + cam
                + "'] .counts li\")].map(li => ({cls: li.dataset.class, avg: li.dataset.avg,"
                + " max: li.dataset.max, avgText: li.querySelector('.avg').textContent,"
                + " maxText: li.querySelector('.max').textContent}));";
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    private static List<String> tileIds() {
        List<String> ids = new ArrayList<>();
        for (WebElement t : driver.findElements(By.cssSelector("#grid .tile"))) {
            ids.add(t.getAttribute("data-camera"));
        }
        return ids;
    }

    private static WebElement tile(String cam) {
        return driver.findElement(By.cssSelector("#grid .tile[data-camera='" + cam + "']"));
    }

    private static WebElement video(String cam) {
        return tile(cam).findElement(By.cssSelector("img.video"));
    }

    /** Frames the page has put into the camera's tile so far. */
    private static long framesShown(String cam) {
        String n = video(cam).getAttribute("data-frames");
        return n == null ? 0 : Long.parseLong(n);
    }

    private static String numbers(String cam) {
        return tile(cam).findElement(By.className("numbers")).getText();
    }

    private static long naturalWidth(WebElement img) {
        Object w =
                ((JavascriptExecutor) driver)
                        .executeScript("return arguments[0].naturalWidth;", img);
        return ((Number) w).longValue();
    }

    private static BufferedImage shot(WebElement element, String name) throws IOException {
        byte[] png = element.getScreenshotAs(OutputType.BYTES);
        Files.write(shots.resolve(name), png);
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    private static void fullPage(String name) throws IOException {
        Files.write(
                shots.resolve(name),
                ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    private static int differentPixels(BufferedImage a, BufferedImage b) {
        int w = Math.min(a.getWidth(), b.getWidth());
        int h = Math.min(a.getHeight(), b.getHeight());
        int n = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (a.getRGB(x, y) != b.getRGB(x, y)) {
                    n++;
                }
            }
        }
        return n;
    }
}
