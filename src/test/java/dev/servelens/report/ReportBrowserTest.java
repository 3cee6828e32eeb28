package dev.servelens.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Opens the report of {@link ReportFixture} from the file system in a real headless Chromium
 * (Debian's {@code chromium} and {@code chromium-driver}, which {@code .ci/run} installs) and
 * checks what a reader sees: every image loaded, every table has rows, every section is there,
 * no console error. Saves a screenshot to {@code target/report-screenshot.png}.
 *
 * <p>Without Chromium the test fails, saying to run {@code .ci/run}; with the environment
 * variable {@code SERVELENS_SKIP_BROWSER_TESTS=1} it is skipped instead.
 */
class ReportBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOT = Path.of("target/report-screenshot.png");

  @Test
  void reportLoadsCompletelyInChromium() throws IOException {
    requireChromium();
    ReportJob.Summary summary = ReportFixture.build();
    Path profile = Files.createTempDirectory("servelens-chromium-");
    ChromeDriver driver = start(profile);
    try {
      driver.get(Path.of(summary.index()).toAbsolutePath().toUri().toString());
      JavascriptExecutor page = driver;
      assertThat(page.executeScript("return document.readyState")).isEqualTo("complete");
      assertThat(driver.getTitle()).isEqualTo("servelens report");
      long images = (Long) page.executeScript("return document.images.length");
      assertThat(images).isEqualTo(summary.figures());
      assertThat((List<?>) page.executeScript("return Array.from(document.images)"
          + ".filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)")).isEmpty();
      assertThat(page.executeScript("return Array.from(document.querySelectorAll('table'))"
          + ".filter(t => t.querySelectorAll('tbody tr').length === 0).length")).isEqualTo(0L);
      assertThat((Long) page.executeScript("return document.querySelectorAll('table').length"))
          .isGreaterThan(5);
      assertThat(page.executeScript(
          "return Array.from(document.querySelectorAll('section[id]')).map(s => s.id)"))
          .asList().contains("headlines", "ingest", "rejects", "family-workload", "family-kstar",
              "family-agentic", "family-bench", "family-agentic--c64");
      List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
          .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue()).toList();
      assertThat(errors).as("console errors").isEmpty();
      File shot = driver.getScreenshotAs(OutputType.FILE);
      Files.copy(shot.toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
      assertThat(Files.size(SCREENSHOT)).isGreaterThan(10_000);
    } finally {
      driver.quit();
      deleteTree(profile);
    }
  }

  private static void requireChromium() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if ("1".equals(System.getenv("SERVELENS_SKIP_BROWSER_TESTS"))) {
      Assumptions.assumeTrue(present,
          "SERVELENS_SKIP_BROWSER_TESTS=1 and no Chromium: browser test skipped");
    } else if (!present) {
      fail("The report's browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
          + " (Debian packages chromium and chromium-driver): run .ci/run, which installs them,"
          + " or set SERVELENS_SKIP_BROWSER_TESTS=1 to skip this test");
    }
  }

  /** Debian's driver and browser; nothing is downloaded (Selenium Manager is never asked). */
  private static ChromeDriver start(Path profile) {
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,2400",
        "--user-data-dir=" + profile.toAbsolutePath());
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    return driver;
  }

  private static void deleteTree(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
