package dev.stability.ops.console;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same operators' scenario in headless Chromium through Selenium, when {@code chromium} and
 * {@code chromedriver} are on the PATH (Debian: {@code apt-get install chromium chromium-driver});
 * skipped with that message otherwise. Saves a screenshot of the console after the scenario as
 * {@code target/ops-console-chromium.png}. Nothing is downloaded: the driver is the one installed.
 */
class ChromiumConsoleTest {

  @TempDir Path dir;
  private ConsoleSystem system;

  @AfterEach
  void stop() throws Exception {
    if (system != null) {
      system.close();
    }
  }

  @Test
  void operatorsSwitchOverAndForceOpenAndResetAGuardInHeadlessChromium() throws Exception {
    Optional<String> unavailable = ChromiumBrowser.unavailable();
    assumeTrue(unavailable.isEmpty(), unavailable.orElse(""));
    system = new ConsoleSystem(dir);
    try (ChromiumBrowser browser = ChromiumBrowser.start()) {
      try {
        new ConsoleScenario(browser, system.target()).run();
      } finally {
        browser.screenshot(Path.of("target", "ops-console-chromium.png"));
      }
    }
  }
}
