package dev.stability.testkit.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stability.api.ServiceIdentity;
import dev.stability.api.health.HealthCheck;
import dev.stability.api.health.HealthKind;
import dev.stability.api.health.HealthResult;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import dev.stability.core.guard.CircuitBreakerSettings;
import dev.stability.core.guard.Guard;
import dev.stability.core.guard.GuardSettings;
import dev.stability.core.health.HealthSettings;
import dev.stability.testkit.RecordingEventSink;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A small service with a guarded link and a risk check, and three faults, one unmonitored. */
class DiscoveryCampaignTest {

  @Test
  void monitoredFaultsAreDiscoveredAndAnUnmonitoredOneLowersTheRate() throws Exception {
    RecordingEventSink sink = new RecordingEventSink();
    AtomicBoolean linkDown = new AtomicBoolean();
    AtomicReference<CountDownLatch> hang = new AtomicReference<>(new CountDownLatch(0));
    AtomicBoolean silentlyWrong = new AtomicBoolean();
    java.util.concurrent.atomic.AtomicReference<Double> overload = new AtomicReference<>(0.1);
    try (StabilityRuntime runtime =
        TestRuntimes.quiet(
                ServiceIdentity.builder()
                    .systemCode("OMS")
                    .subsystem("entry")
                    .instanceId("d1")
                    .build())
            .eventSink(sink)
            .health(
                HealthSettings.builder()
                    .builtInChecks(false)
                    .timeout(
                        Duration.ofMillis(500)) // spurious timeouts would be counted as signals
                    .cacheFor(Duration.ZERO)
                    .build())
            .healthCheck(
                HealthCheck.of(
                    "risk-engine",
                    HealthKind.READINESS,
                    1,
                    () -> {
                      hang.get().await();
                      return HealthResult.up();
                    }))
            .guard(
                GuardSettings.builder("exchange-link")
                    .circuitBreaker(
                        CircuitBreakerSettings.builder()
                            .slidingWindowSize(10)
                            .minimumNumberOfCalls(10)
                            .failureRateThreshold(50)
                            .build())
                    .build())
            .build()) {
      Guard link = runtime.guards().guard("exchange-link");
      Runnable traffic =
          () -> {
            for (int i = 0; i < 20; i++) {
              try {
                link.call(
                    () -> {
                      if (linkDown.get()) {
                        throw new IOException("exchange link down");
                      }
                      return "ack";
                    });
              } catch (Exception e) {
                // the guard counts it
              }
            }
          };

      DiscoveryReport report =
          DiscoveryCampaign.builder(runtime, sink)
              .within(Duration.ofSeconds(3))
              .scenario(
                  "exchange link errors",
                  () -> {
                    linkDown.set(true);
                    traffic.run();
                  },
                  () -> {
                    linkDown.set(false);
                    link.reset();
                  })
              .scenario(
                  "risk engine hangs",
                  () -> hang.set(new CountDownLatch(1)),
                  () -> hang.get().countDown())
              .detector("capacity over 90% of tested", () -> overload.get() > 0.9)
              .scenario(
                  "capacity overload (a metric threshold alert)",
                  () -> overload.set(0.95),
                  () -> overload.set(0.1))
              .scenario(
                  "positions silently wrong (no check covers it)",
                  () -> silentlyWrong.set(true),
                  () -> silentlyWrong.set(false))
              .build()
              .run();

      assertThat(report.results())
          .extracting(DiscoveryReport.Result::detected)
          .containsExactly(true, true, true, false);
      assertThat(report.results().get(2).signal()).isEqualTo("alert capacity over 90% of tested");
      assertThat(report.results().get(0).signal()).startsWith("event GUARD_CIRCUIT_OPENED");
      assertThat(report.results().get(1).signal()).contains("risk-engine");
      assertThat(report.results().get(1).after()).isLessThan(Duration.ofSeconds(3));
      assertThat(report.rate()).isEqualTo(3.0 / 4);
      report.assertRate(0.6);
      assertThatThrownBy(() -> report.assertRate(0.9))
          .isInstanceOf(AssertionError.class)
          .hasMessage(
              "fault discovery rate 0.75 is below 0.90: not detected within 3000 ms: [positions"
                  + " silently wrong (no check covers it)]");
      assertThat(new ObjectMapper().readTree(report.toJson()).get("detected").asInt()).isEqualTo(3);
    }
  }

  @Test
  void tradingReadinessCountsAgainstItsStartingLevelAndARecoveryIsNotCreditedToTheNextFault()
      throws Exception {
    RecordingEventSink sink = new RecordingEventSink();
    AtomicBoolean pricesMissing = new AtomicBoolean();
    try (StabilityRuntime runtime =
        TestRuntimes.quiet(
                ServiceIdentity.builder()
                    .systemCode("OMS")
                    .subsystem("entry")
                    .instanceId("d2")
                    .build())
            .eventSink(sink)
            .health(HealthSettings.builder().builtInChecks(false).cacheFor(Duration.ZERO).build())
            .healthCheck(
                HealthCheck.of(
                    "settlement-prices",
                    HealthKind.TRADING_READINESS,
                    1,
                    () ->
                        pricesMissing.get()
                            ? HealthResult.down("no settlement prices")
                            : HealthResult.up()))
            // Degraded from the start: the campaign must not count it as a detection.
            .healthCheck(
                HealthCheck.of(
                    "margin-rates",
                    HealthKind.TRADING_READINESS,
                    2,
                    () -> HealthResult.degraded("yesterday's margin rates")))
            .build()) {
      DiscoveryReport report =
          DiscoveryCampaign.builder(runtime, sink)
              .within(Duration.ofSeconds(1))
              .scenario(
                  "settlement prices missing",
                  () -> pricesMissing.set(true),
                  () -> pricesMissing.set(false))
              .scenario("nothing wrong", () -> {}, () -> {})
              .build()
              .run();

      assertThat(report.results().get(0).detected()).isTrue();
      assertThat(report.results().get(0).signal()).contains("settlement-prices");
      assertThat(report.results().get(1).detected())
          .as("the prices check recovering (DOWN -> UP) is not a detection of the next fault")
          .isFalse();
      assertThat(report.rate()).isEqualTo(0.5);
    }
  }

  @Test
  void theDetectionTimeEndsAtTheSignalNotAfterTheHeal() throws Exception {
    AtomicBoolean alarm = new AtomicBoolean();
    try (StabilityRuntime runtime =
        TestRuntimes.quiet(
                ServiceIdentity.builder().systemCode("X").subsystem("y").instanceId("t").build())
            .health(HealthSettings.builder().builtInChecks(false).build())
            .build()) {
      DiscoveryReport report =
          DiscoveryCampaign.builder(runtime, new RecordingEventSink())
              .within(Duration.ofSeconds(3))
              .detector("alarm", alarm::get)
              .scenario(
                  "slow to heal",
                  () -> alarm.set(true),
                  () -> {
                    try {
                      Thread.sleep(2_000); // a heal that takes its time
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                    alarm.set(false);
                  })
              .build()
              .run();
      assertThat(report.results().get(0).detected()).isTrue();
      assertThat(report.results().get(0).after()).isLessThan(Duration.ofMillis(1_500));
    }
  }

  @Test
  void aCampaignNeedsScenarios() {
    try (StabilityRuntime runtime =
        TestRuntimes.quiet(
                ServiceIdentity.builder().systemCode("X").subsystem("y").instanceId("z").build())
            .build()) {
      assertThatThrownBy(() -> DiscoveryCampaign.builder(runtime, new RecordingEventSink()).build())
          .hasMessage("a discovery campaign needs at least one fault scenario");
    }
  }
}
