package dev.stability.examples.trading;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stability.api.event.Level;
import dev.stability.api.event.LogRecord;
import dev.stability.api.guard.CircuitState;
import dev.stability.testkit.RecordingEventSink;
import dev.stability.testkit.discovery.DiscoveryCampaign;
import dev.stability.testkit.discovery.DiscoveryReport;
import dev.stability.testkit.junit.EvidenceCollector;
import dev.stability.testkit.junit.StabilityEvidence;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault-discovery rate (R13) of the running trading system's own monitoring: WARN/ERROR events,
 * health worse than at the start, and a declared capacity alert.
 */
@StabilityEvidence
class DiscoveryCampaignExampleTest {

  private static final long RATE = 1_500;

  /**
   * The detection bound. The slowest path is the hung settlement-price check: it runs again once
   * its answer is older than the health cache (1 s default, polled every 200 ms and whenever the
   * campaign asks) and is reported DOWN when the check timeout passes (HealthSettings default 1 s),
   * so about 2 s at worst; the rest is margin for a noisy two-core machine.
   */
  private static final Duration WITHIN = Duration.ofSeconds(4);

  @TempDir Path dir;

  @FunctionalInterface
  private interface Step {
    void run() throws Exception;
  }

  /** A scenario step; the campaign takes plain runnables. */
  private static Runnable step(Step step) {
    return () -> {
      try {
        step.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms: " + what);
      }
      Thread.sleep(10);
    }
  }

  private static List<LogRecord> alertsSince(RecordingEventSink sink, int from) {
    List<LogRecord> all = sink.records();
    return all.subList(from, all.size()).stream()
        .filter(r -> r.level() == Level.WARN || r.level() == Level.ERROR)
        .toList();
  }

  @Test
  void theSystemsOwnMonitoringDiscoversAllSixInjectedFaultsWithinTheBound(
      EvidenceCollector evidence) throws Exception {
    RecordingEventSink sink = new RecordingEventSink();
    try (TradingSystem system =
        TradingSystem.builder(dir)
            .rate(RATE)
            .members(4)
            .maxLag(500) // the standby reports itself lagging beyond 500 records
            .eventSink(sink)
            .build()) {
      long account = system.market().account(17);
      // Last year's peaks are above anything this test runs, so no peak alert fires on its own;
      // the tested capacity is low, so 80% of it is an alert threshold that the overload crosses
      // and the normal flow does not (1500/s < 0.8 x 3000/s < 4000/s).
      system.orders().raiseHistoricalPeak(20_000);
      system.trades().raiseHistoricalPeak(100_000);
      system.orders().recordTested(3_000, "pressure test of the order gateway");
      system.startFlow();

      // Steady state first (every check answered, a checkpoint matched); then the healthy system
      // must be quiet, or a campaign would credit faults with alerts that fire anyway.
      await(
          "every check has answered and a checkpoint matched",
          Duration.ofSeconds(10),
          () ->
              system.runtime().health().lastResults().stream().allMatch(c -> c.checkedAt() != null)
                  && system.runtime().consistency().auditor().lastMatchedSequence().isPresent());
      Thread.sleep(1_500);
      assertThat(system.runtime().events().awaitDelivery(Duration.ofSeconds(5))).isTrue();
      int quietFrom = sink.records().size();
      Thread.sleep(1_500);
      assertThat(system.runtime().events().awaitDelivery(Duration.ofSeconds(5))).isTrue();
      assertThat(alertsSince(sink, quietFrom)).as("no alert while nothing is wrong").isEmpty();

      // The clearing heals wait for the breaker to close: an event finds these faults before the
      // cached health (1 s) has seen the open breaker, so the campaign's settling could otherwise
      // start the next fault while this one's breaker is still open.
      Step breakerClosed =
          () ->
              await(
                  "the clearing-link breaker closes again",
                  Duration.ofSeconds(5),
                  () -> system.clearingGuard().circuitState() == CircuitState.CLOSED);
      DiscoveryReport report =
          DiscoveryCampaign.builder(system.runtime(), sink)
              .within(WITHIN)
              .detector(
                  "orders above 80% of tested capacity",
                  () -> system.orders().rate() > 0.8 * system.orders().testedCapacity())
              .scenario(
                  "clearing link refuses connections",
                  () -> system.clearing().refuse(true),
                  step(
                      () -> {
                        system.clearing().refuse(false);
                        breakerClosed.run();
                      }))
              .scenario(
                  "clearing link answers 200 ms late",
                  () -> system.clearing().delay(200),
                  step(
                      () -> {
                        system.clearing().delay(0);
                        breakerClosed.run();
                      }))
              .scenario(
                  "standby applies 2 ms per record and falls behind",
                  () -> system.slowStandby(2_000),
                  () -> system.slowStandby(0))
              .scenario(
                  "standby position corrupted",
                  step(
                      () -> {
                        system.pause();
                        system.damageStandbyPosition(account, 0, 7);
                        system.resume();
                      }),
                  step(
                      () -> {
                        system.pause();
                        system.repairStandby();
                        system.resume();
                      }))
              .scenario(
                  "order flow above the tested capacity",
                  () -> system.rate(4_000),
                  () -> system.rate(RATE))
              .scenario(
                  "settlement price service hangs its health check",
                  () -> system.hangPriceService(true),
                  () -> system.hangPriceService(false))
              .build()
              .run();

      evidence.discovery(report, 1.0); // into the pack, passed or not
      report.assertRate(1.0);
      assertThat(report.results())
          .as(report.toJson())
          .allSatisfy(
              r ->
                  assertThat(r.after())
                      .as(r.scenario() + " (" + r.signal() + ")")
                      .isLessThanOrEqualTo(WITHIN));
      // Each fault was found by the monitor meant for it, not by a leftover of the one before.
      assertThat(report.results())
          .as(report.toJson())
          .extracting(DiscoveryReport.Result::signal)
          .satisfiesExactly(
              s -> assertThat(s).startsWith("event GUARD_CIRCUIT_OPENED").contains("clearing-link"),
              s -> assertThat(s).startsWith("event GUARD_CIRCUIT_OPENED").contains("clearing-link"),
              s ->
                  assertThat(s)
                      .containsAnyOf(
                          "event STANDBY_LAG_HIGH", "health readiness DEGRADED: [standby "),
              s -> assertThat(s).startsWith("event CONSISTENCY_MISMATCH"),
              s -> assertThat(s).isEqualTo("alert orders above 80% of tested capacity"),
              s -> assertThat(s).contains("settlement-prices"));

      // The faults cost nothing: the standby agrees again, and no trade was lost for clearing.
      system.pause();
      assertThat(system.compareHeld().matched()).isTrue();
      await(
          "every trade reached clearing",
          Duration.ofSeconds(5),
          () ->
              system.pendingClearing() == 0
                  && system.clearing().cleared() == system.trades().total());
      assertThat(system.follower().failure()).isEmpty();
    }
  }
}
