package dev.stability.ops.console;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * Headless Chromium through the installed chromedriver (nothing is downloaded), for the console
 * scenario. {@link #available()} says whether {@code chromium} and {@code chromedriver} are on the
 * PATH (Debian: {@code apt-get install chromium chromium-driver}).
 */
public final class ChromiumBrowser implements ConsoleBrowser {

  private final ChromeDriver driver;

  public ChromiumBrowser(Path chromium, Path chromedriver) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1800");
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile()).build();
    this.driver = new ChromeDriver(service, options);
    driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(5));
  }

  @Override
  public void open(String url) {
    driver.get(url);
  }

  @Override
  public void type(String id, String text) {
    WebElement input = driver.findElement(By.id(id));
    input.clear();
    input.sendKeys(text);
  }

  @Override
  public void select(String id, String value) {
    driver.findElement(By.cssSelector("#" + id + " option[value='" + value + "']")).click();
  }

  @Override
  public void click(String id) {
    for (int attempt = 0; ; attempt++) {
      try {
        driver.findElement(By.id(id)).click();
        return;
      } catch (org.openqa.selenium.StaleElementReferenceException e) {
        if (attempt > 20) {
          throw e; // re-rendered every time we looked
        }
      }
    }
  }

  @Override
  public String text(String id) {
    Object text =
        ((JavascriptExecutor) driver)
            .executeScript(
                "var e = document.getElementById(arguments[0]); return e ? e.textContent : null;",
                id);
    return text == null ? null : text.toString();
  }

  @Override
  public List<String> ids(String prefix) {
    Object ids =
        ((JavascriptExecutor) driver)
            .executeScript(
                "var out = []; var all = document.querySelectorAll('[id]');"
                    + " for (var i = 0; i < all.length; i++) {"
                    + " if (all[i].id.indexOf(arguments[0]) === 0) { out.push(all[i].id); } }"
                    + " return out;",
                prefix);
    List<String> result = new ArrayList<>();
    for (Object id : (List<?>) ids) {
      result.add(String.valueOf(id));
    }
    return result;
  }

  @Override
  public String script(String expression) {
    return String.valueOf(
        ((JavascriptExecutor) driver).executeScript("return " + expression + ";"));
  }

  @Override
  public void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Console errors, and failed loads other than the refusals the scenario provokes on purpose
   * (Chromium logs every 4xx answer to an XHR as an error).
   */
  @Override
  public List<String> errors() {
    List<String> errors = new ArrayList<>();
    for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
      // 401/403: refusals the scenario provokes; 503 from /health/...: a check's answer (DOWN,
      // or trading readiness not passed), which the page shows, not a failure of the page
      boolean expectedRefusal =
          entry.getMessage().contains("status of 403")
              || entry.getMessage().contains("status of 401")
              || (entry.getMessage().contains("/health/")
                  && entry.getMessage().contains("status of 503"));
      if (entry.getLevel().intValue() >= Level.WARNING.intValue() && !expectedRefusal) {
        errors.add(entry.getLevel() + " " + entry.getMessage());
      }
    }
    return errors;
  }

  /** Saves what the browser shows as a PNG. */
  public void screenshot(Path file) throws Exception {
    Files.createDirectories(file.getParent());
    Files.copy(
        driver.getScreenshotAs(OutputType.FILE).toPath(),
        file,
        StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void close() {
    driver.quit();
  }

  /** Why a Chromium test is skipped here, or empty when chromium and chromedriver are there. */
  public static Optional<String> unavailable() {
    Optional<Path> chromium = onPath("chromium", "chromium-browser");
    Optional<Path> driver = onPath("chromedriver");
    return chromium.isPresent() && driver.isPresent()
        ? Optional.empty()
        : Optional.of(
            "skipped: the Chromium console test needs chromium and chromedriver on the PATH (found"
                + " chromium: "
                + chromium.isPresent()
                + ", chromedriver: "
                + driver.isPresent()
                + "); on Debian: apt-get install chromium chromium-driver");
  }

  /** Starts headless Chromium with the chromium and chromedriver found on the PATH. */
  public static ChromiumBrowser start() {
    return new ChromiumBrowser(
        onPath("chromium", "chromium-browser").orElseThrow(), onPath("chromedriver").orElseThrow());
  }

  /** The first of {@code names} that is an executable on the PATH. */
  public static Optional<Path> onPath(String... names) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String name : names) {
      for (String directory : path.split(File.pathSeparator)) {
        Path candidate = Path.of(directory, name);
        if (Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }
}
