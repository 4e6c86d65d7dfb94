package dev.stability.examples.trading;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stability.testkit.junit.EvidenceCollector;
import dev.stability.testkit.junit.StabilityEvidence;
import dev.stability.testkit.pressure.PressureReport;
import dev.stability.testkit.pressure.PressureTest;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pressure test of the order gateway (R1, R2): three times the historical peak and beyond. */
@StabilityEvidence
class PressureExampleTest {

  /** The historical peak of orders per second this test assumes (last year's record day). */
  private static final long PEAK = 300;

  @TempDir Path dir;

  @Test
  void theGatewaySustainsThreeTimesTheHistoricalPeakAndProductionRecordsTheHeadroom(
      EvidenceCollector evidence) throws Exception {
    PressureReport report;
    try (TradingSystem testEnvironment =
        TradingSystem.builder(dir.resolve("test-environment")).members(0).build()) {
      OrderFlow flow = new OrderFlow(testEnvironment.market(), 42L);
      report =
          PressureTest.builder("order-gateway", () -> testEnvironment.submit(flow.next()))
              .rates(PEAK, 2 * PEAK, 3 * PEAK, 4 * PEAK)
              .warmUp(Duration.ofMillis(200))
              .measure(Duration.ofSeconds(1))
              .p99Limit(Duration.ofMillis(50)) // generous: a noisy machine with 2 cores
              .threads(1) // submit is synchronized: one sequencer, one caller
              .build()
              .run();

      evidence.pressure(report, 3 * PEAK); // into the pack, passed or not
      report.assertSustains(3 * PEAK);
      assertThat(report.steps().get(0).calls()).isGreaterThanOrEqualTo(PEAK);
      assertThat(testEnvironment.journal().lastSequence())
          .as("every call journaled one order")
          .isGreaterThanOrEqualTo((long) (0.99 * (PEAK + 2 * PEAK + 3 * PEAK) * 1.2));
      // The orders indicator counts the test's own load as business: its historical peak is now
      // about the tested rate, so headroom measured in the environment under test is ~1x. The
      // tested capacity belongs in the capacity store of the system that serves the real peak.
      assertThat(testEnvironment.orders().historicalPeak()).isGreaterThan(2.0 * PEAK);
    }

    try (TradingSystem production =
        TradingSystem.builder(dir.resolve("production")).members(0).build()) {
      report.recordInto(production.orders());
      production.orders().raiseHistoricalPeak(PEAK);

      assertThat(production.orders().testedCapacity()).isEqualTo(report.sustainedRate());
      assertThat(production.orders().historicalPeak()).isEqualTo((double) PEAK);
      assertThat(production.orders().headroom()).isGreaterThanOrEqualTo(3.0);
    }
    // Both figures are kept in the capacity store and survive a restart.
    try (TradingSystem restarted =
        TradingSystem.builder(dir.resolve("production")).members(0).build()) {
      assertThat(restarted.orders().testedCapacity()).isEqualTo(report.sustainedRate());
      assertThat(restarted.orders().headroom()).isGreaterThanOrEqualTo(3.0);
    }
  }
}
