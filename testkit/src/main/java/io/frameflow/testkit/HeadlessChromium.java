package io.frameflow.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The distribution's Chromium and chromedriver ({@code scripts/install-test-deps.sh}), headless,
 * for the browser tests; screenshots go to the module's {@code target/screenshots/}.
 */
public final class HeadlessChromium implements AutoCloseable {

    /** Selenium has no CDP bindings for every Chromium release; the tests do not use CDP. */
    private static final java.util.logging.Logger CDP_LOG =
            java.util.logging.Logger.getLogger("org.openqa.selenium.devtools");

    public final WebDriver driver;
    public final Path shots;
    private final ChromeDriverService service;

    public HeadlessChromium() throws IOException {
        CDP_LOG.setLevel(java.util.logging.Level.SEVERE);
        File chromedriver =
                new File(System.getProperty("frameflow.chromedriver", "/usr/bin/chromedriver"));
        String chromiumBinary = System.getProperty("frameflow.chromium", "/usr/bin/chromium");
        if (!chromedriver.canExecute() || !new File(chromiumBinary).canExecute()) {
            throw new IllegalStateException(
                    "No "
                            + chromedriver
                            + " or "
                            + chromiumBinary
                            + ": install chromium and chromium-driver (scripts/install-test-deps.sh)");
        }
        shots = Paths.get(System.getProperty("basedir", "."), "target", "screenshots");
        Files.createDirectories(shots);
        // An explicit driver executable and browser binary: Selenium Manager never downloads.
        service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(chromedriver)
                        .usingAnyFreePort()
                        .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromiumBinary);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1400,1000",
                "--user-data-dir=" + Files.createTempDirectory("frameflow-chromium-"));
        driver = new ChromeDriver(service, options);
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    public void fullPage(String name) throws IOException {
        Files.write(
                shots.resolve(name), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() {
        driver.quit();
        service.stop();
    }
}
