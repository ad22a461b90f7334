package org.ketafhir.outcomes.report;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, driven by its chromedriver (both installed by .ci/install-browser). Paths are given
 * explicitly so that Selenium Manager never looks for, or downloads, a browser or driver of its own.
 */
final class HeadlessBrowser implements AutoCloseable {

    static final String CHROMIUM = System.getProperty("ketafhir.it.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("ketafhir.it.chromedriver", "/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final Path profile;

    HeadlessBrowser() {
        try {
            profile = Files.createTempDirectory("ketafhir-chromium-");
        } catch (IOException e) {
            throw new IllegalStateException("no temporary profile folder", e);
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--disable-default-apps", "--window-size=1280,2400",
                "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    /** Opens the page and waits until its script has drawn it (or shown an error): body[data-state] leaves "loading". */
    void open(String url) {
        driver.get(url);
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> {
            Object state = script("return document.body && document.body.getAttribute('data-state');");
            return state != null && !"loading".equals(state);
        });
    }

    Object script(String javascript, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(javascript, arguments);
    }

    /** A picture of the page in target/report-pages/, for a person reviewing the layout. */
    void screenshot(String name) {
        try {
            Path folder = Files.createDirectories(Path.of("target", "report-pages"));
            Files.write(folder.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new IllegalStateException("screenshot " + name, e);
        }
    }

    ChromeDriver driver() {
        return driver;
    }

    /** The console entries since the last call (the browser hands each out once). */
    List<LogEntry> consoleEntries() {
        return driver.manage().logs().get(LogType.BROWSER).getAll();
    }

    /** Console errors (and uncaught exceptions, CSP violations, failed loads) since the last call. */
    List<String> consoleErrors() {
        return consoleEntries().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (IOException e) {
                // a leftover temp folder is harmless
            }
        }
    }
}
