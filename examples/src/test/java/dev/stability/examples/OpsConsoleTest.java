package dev.stability.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stability.examples.trading.TradingSystem;
import dev.stability.ops.OpsEndpoint;
import dev.stability.ops.OpsEndpointSettings;
import dev.stability.ops.console.ChromiumBrowser;
import dev.stability.ops.console.ConsoleBrowser;
import dev.stability.ops.console.ConsoleScenario;
import dev.stability.ops.console.HtmlUnitBrowser;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ops console on the example trading system, in HtmlUnit: two operators switch the primary
 * (map-book) over to the heterogeneous standby (array-book) under order flow with dual control, and
 * force the clearing link open and reset it, on a simulated Saturday evening.
 */
class OpsConsoleTest {

  /** Saturday 2026-11-28 20:00 in Shanghai: no trading session, risky changes are allowed. */
  private static final Instant WEEKEND = Instant.parse("2026-11-28T12:00:00Z");

  @TempDir Path dir;

  @Test
  void operatorsSwitchTheExampleSystemOverToItsStandbyFromTheConsole() throws Exception {
    try (HtmlUnitBrowser browser = new HtmlUnitBrowser()) {
      run(browser);
    }
  }

  /**
   * The same in headless Chromium when chromium and chromedriver are installed (skipped, saying so,
   * otherwise); the screenshot of the example system's console is kept in {@code
   * target/ops-console-example.png}.
   */
  @Test
  void theSameSwitchoverInHeadlessChromium() throws Exception {
    Optional<String> unavailable = ChromiumBrowser.unavailable();
    assumeTrue(unavailable.isEmpty(), unavailable.orElse(""));
    try (ChromiumBrowser browser = ChromiumBrowser.start()) {
      try {
        run(browser);
      } finally {
        browser.screenshot(Path.of("target", "ops-console-example.png"));
      }
    }
  }

  private void run(ConsoleBrowser browser) throws Exception {
    try (TradingSystem system =
            TradingSystem.builder(dir)
                .rate(2_000)
                .members(4)
                .clock(Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), WEEKEND)))
                .build();
        OpsEndpoint ops =
            OpsEndpoint.start(
                system.runtime(),
                OpsEndpointSettings.builder()
                    .token("zhang.san", ConsoleScenario.ZHANG_TOKEN)
                    .token("li.si", ConsoleScenario.LI_TOKEN)
                    .switchController(system.switchController())
                    .epoch(() -> system.journal().epoch())
                    .lastDiff(system::lastDiff)
                    .build())) {
      system.startFlow();
      new ConsoleScenario(
              browser,
              new ConsoleScenario.Target(
                  ops.uri(),
                  system.runtime(),
                  system.journal(),
                  () -> system.runtime().consistency().auditor().lastMatchedSequence().isPresent(),
                  "FUT / core / fut-a1",
                  "standby",
                  "settlement-prices",
                  "orders",
                  "clearing-link",
                  TradingSystem.SERVICE))
          .run();
      assertThat(system.active()).as("the standby core trades now").isSameAs(system.standby());
      assertThat(system.registry().primary(TradingSystem.SERVICE).orElseThrow().address())
          .isEqualTo(TradingSystem.STANDBY_ADDRESS);
    }
  }
}
