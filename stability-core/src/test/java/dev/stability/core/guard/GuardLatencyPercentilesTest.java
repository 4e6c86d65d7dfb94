package dev.stability.core.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.guard.CircuitOpenException;
import dev.stability.core.ManualClock;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code latency-percentiles: true}: the latency of the calls a guard let through at quantiles 0.5,
 * 0.9, 0.99 and 0.999, as gauges {@code stability.guard.latency{guard,quantile}} in the
 * application's registry, measured on the guard's clock.
 */
class GuardLatencyPercentilesTest {

  private final ManualClock clock =
      ManualClock.at(Instant.parse("2026-12-04T06:00:00Z"), ZoneId.of("Asia/Shanghai"));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private StabilityRuntime runtime;

  private Guard guard(GuardSettings settings) {
    runtime = TestRuntimes.quiet("p1").clock(clock).meterRegistry(registry).guard(settings).build();
    return runtime.guards().guard(settings.name());
  }

  @AfterEach
  void close() {
    if (runtime != null) {
      runtime.close();
    }
  }

  private double millis(String guard, String quantile) {
    return registry
            .get("stability.guard.latency")
            .tag("guard", guard)
            .tag("quantile", quantile)
            .gauge()
            .value()
        * 1_000;
  }

  /** At or above the true value, by at most a sixteenth (the histogram's bucket). */
  private static void near(double measured, double truth) {
    assertThat(measured).isBetween(truth, truth * 17 / 16);
  }

  @Test
  void publishesTheFourPercentilesOfTheCallsLatencyMeasuredByTheGuard() throws Exception {
    Guard guard = guard(GuardSettings.builder("exchange-link").latencyPercentiles(true).build());
    // 1,000 calls taking 1..1,000 ms on the guard's clock, successes and failures alike.
    for (int i = 1; i <= 1_000; i++) {
      Duration takes = Duration.ofMillis(i);
      boolean fails = i % 10 == 0;
      try {
        guard.call(
            () -> {
              clock.advance(takes);
              if (fails) {
                throw new IOException("exchange link down");
              }
              return "ack";
            });
      } catch (IOException expected) {
        // counted as a FAILURE, and its latency too
      }
    }

    near(millis("exchange-link", "0.5"), 500);
    near(millis("exchange-link", "0.9"), 900);
    near(millis("exchange-link", "0.99"), 990);
    near(millis("exchange-link", "0.999"), 999);
    assertThat(registry.get("stability.guard.latency").tag("guard", "exchange-link").gauges())
        .hasSize(4);
  }

  @Test
  void refusedCallsTakeNoTimeAndAreLeftOut() throws Exception {
    Guard guard =
        guard(
            GuardSettings.builder("clearing-link")
                .latencyPercentiles(true)
                .circuitBreaker(CircuitBreakerSettings.builder().build())
                .build());
    guard.call(
        () -> {
          clock.advance(Duration.ofMillis(40));
          return "ok";
        });
    guard.forceOpen();
    for (int i = 0; i < 50; i++) {
      assertThatThrownBy(() -> guard.call(() -> "never runs"))
          .isInstanceOf(CircuitOpenException.class);
    }

    // One call of 40 ms and fifty refusals: were the refusals counted, the median would be 0.
    near(millis("clearing-link", "0.5"), 40);
    near(millis("clearing-link", "0.999"), 40);
    assertThat(
            registry
                .get("stability.guard.calls")
                .tag("guard", "clearing-link")
                .tag("outcome", "REJECTED")
                .functionTimer()
                .count())
        .as("the refusals are still counted by outcome")
        .isEqualTo(50);
  }

  @Test
  void withoutTheSettingNoLatencyGaugeIsRegistered() throws Exception {
    Guard guard = guard(GuardSettings.builder("reference-data").build());
    guard.call(() -> "ok");

    assertThat(registry.find("stability.guard.latency").meters()).isEmpty();
    assertThat(
            registry.get("stability.guard.calls").tag("outcome", "SUCCESS").functionTimer().count())
        .isEqualTo(1);
  }

  @Test
  void theDocumentKeyTurnsItOn() {
    GuardSettings settings =
        GuardDocuments.parse(
                "guards:\n  exchange-link:\n    latency-percentiles: true\n",
                GuardDocuments.Format.YAML)
            .get(0);
    assertThat(settings.latencyPercentiles()).isTrue();
    assertThat(settings.toString()).contains("latencyPercentiles=true");
    assertThat(GuardSettings.builder("x").build().latencyPercentiles()).isFalse();
  }
}
