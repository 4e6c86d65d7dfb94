package dev.stability.core.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.event.LogRecord;
import dev.stability.api.event.Outcome;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.guard.CircuitOpenException;
import dev.stability.api.guard.CircuitState;
import dev.stability.api.guard.GuardRejectedException;
import dev.stability.core.CapturingSink;
import dev.stability.core.ManualClock;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CircuitBreakerGuardTest {

  private final ManualClock clock =
      ManualClock.at(Instant.parse("2026-11-24T06:00:00Z"), ZoneId.of("Asia/Shanghai"));
  private final CapturingSink sink = new CapturingSink();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private StabilityRuntime runtime;

  private Guard guard(CircuitBreakerSettings breaker) {
    return guard(GuardSettings.builder("exchange-link").circuitBreaker(breaker));
  }

  private Guard guard(GuardSettings.Builder spec) {
    runtime =
        TestRuntimes.quiet("a1")
            .clock(clock)
            .meterRegistry(registry)
            .eventSink(sink)
            .guard(spec.build())
            .build();
    return runtime.guards().guard("exchange-link");
  }

  @AfterEach
  void close() {
    if (runtime != null) {
      runtime.close();
    }
  }

  private static final Callable<String> OK = () -> "ok";
  private static final Callable<String> FAIL =
      () -> {
        throw new IOException("link down");
      };

  private Callable<String> slow(Duration duration) {
    return () -> {
      clock.advance(duration);
      return "late";
    };
  }

  private static CircuitBreakerSettings.Builder tenCalls() {
    return CircuitBreakerSettings.builder()
        .slidingWindowSize(10)
        .minimumNumberOfCalls(10)
        .failureRateThreshold(50)
        .waitDurationInOpenState(Duration.ofSeconds(5))
        .permittedNumberOfCallsInHalfOpenState(2);
  }

  private void settle() throws InterruptedException {
    assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();
  }

  @Test
  void opensWhenFailureRateReachesThresholdAfterMinimumCalls() throws Exception {
    Guard guard = guard(tenCalls().build());
    for (int i = 0; i < 5; i++) {
      guard.call(OK);
    }
    for (int i = 0; i < 4; i++) {
      assertThatThrownBy(() -> guard.call(FAIL)).isInstanceOf(IOException.class);
    }
    assertThat(guard.circuitState()).isEqualTo(CircuitState.CLOSED); // 9 calls < minimum 10

    assertThatThrownBy(() -> guard.call(FAIL)).isInstanceOf(IOException.class); // 5 of 10 failed

    assertThat(guard.circuitState()).isEqualTo(CircuitState.OPEN);
    assertThatThrownBy(() -> guard.call(OK))
        .isInstanceOf(CircuitOpenException.class)
        .hasMessage("guard 'exchange-link': circuit breaker is OPEN")
        .satisfies(
            e -> assertThat(((GuardRejectedException) e).outcome()).isEqualTo(Outcome.REJECTED));
    settle();
    LogRecord opened = sink.withCode("GUARD_CIRCUIT_OPENED").get(0);
    assertThat(opened.text(dev.stability.api.event.LogField.GUARD)).isEqualTo("exchange-link");
    assertThat(opened.attrs())
        .containsEntry("from", "CLOSED")
        .containsEntry("to", "OPEN")
        .containsEntry("failure_rate", "50.00");
    assertThat(
            registry
                .get("stability.guard.circuit.state")
                .tag("guard", "exchange-link")
                .gauge()
                .value())
        .isEqualTo(1.0);
    assertThat(calls("SUCCESS")).isEqualTo(5);
    assertThat(calls("FAILURE")).isEqualTo(5);
    assertThat(calls("REJECTED")).isEqualTo(1);
  }

  @Test
  void ignoredExceptionsReachTheCallerButNeverOpenTheBreaker() throws Exception {
    Guard guard =
        guard(
            GuardSettings.builder("exchange-link")
                .circuitBreaker(tenCalls().build())
                .ignoreExceptions(IllegalArgumentException.class));
    Callable<String> rejectedByRisk =
        () -> {
          throw new IllegalArgumentException("price outside limit");
        };

    for (int i = 0; i < 20; i++) {
      assertThatThrownBy(() -> guard.call(rejectedByRisk))
          .isInstanceOf(IllegalArgumentException.class);
    }

    assertThat(guard.circuitState()).isEqualTo(CircuitState.CLOSED);
    assertThat(calls("FAILURE")).isEqualTo(20);
    for (int i = 0; i < 10; i++) {
      assertThatThrownBy(() -> guard.call(FAIL)).isInstanceOf(IOException.class);
    }
    assertThat(guard.circuitState()).isEqualTo(CircuitState.OPEN); // real failures still count
  }

  @Test
  void oldOutcomesLeaveTheCountWindow() throws Exception {
    Guard guard = guard(tenCalls().build());
    for (int i = 0; i < 4; i++) {
      assertThatThrownBy(() -> guard.call(FAIL)).isInstanceOf(IOException.class);
    }
    for (int i = 0; i < 30; i++) {
      guard.call(OK); // pushes the four failures out of the last-10 window
    }
    for (int i = 0; i < 4; i++) {
      assertThatThrownBy(() -> guard.call(FAIL)).isInstanceOf(IOException.class);
    }

    assertThat(guard.circuitState()).isEqualTo(CircuitState.CLOSED); // 4 of the last 10
  }

  @Test
  void slowCallsOpenTheBreakerEvenWhenTheySucceed() throws Exception {
    Guard guard =
        guard(
            tenCalls()
                .slowCallDurationThreshold(Duration.ofMillis(20))
                .slowCallRateThreshold(60)
                .build());
    for (int i = 0; i < 4; i++) {
      guard.call(OK);
    }
    for (int i = 0; i < 5; i++) {
      assertThat(guard.call(slow(Duration.ofMillis(25)))).isEqualTo("late");
    }
    guard.call(slow(Duration.ofMillis(19))); // just under the threshold: not slow
    assertThat(guard.circuitState()).isEqualTo(CircuitState.CLOSED); // 5 of 10 slow < 60%

    guard.call(slow(Duration.ofMillis(20))); // at the threshold counts as slow: 6 of last 10

    assertThat(guard.circuitState()).isEqualTo(CircuitState.OPEN);
    settle();
    assertThat(sink.withCode("GUARD_CIRCUIT_OPENED").get(0).attrs())
        .containsEntry("slow_call_rate", "60.00")
        .containsEntry("failure_rate", "0.00");
  }

  @Test
  void halfOpenLetsOnlyTheTrialCallsThroughThenClosesOnSuccess() throws Exception {
    Guard guard = openedGuard();

    clock.advance(Duration.ofMillis(4_999));
    assertThatThrownBy(() -> guard.call(OK)).isInstanceOf(CircuitOpenException.class);
    clock.advance(Duration.ofMillis(1));

    Callable<String> holdSecondTrial =
        () -> {
          assertThat(guard.circuitState()).isEqualTo(CircuitState.HALF_OPEN);
          // while one trial is running, a third call finds no trial permit
          guard.call(OK); // takes the second permit and succeeds
          assertThatThrownBy(() -> guard.call(OK)).isInstanceOf(CircuitOpenException.class);
          return "first";
        };
    assertThat(guard.call(holdSecondTrial)).isEqualTo("first");

    assertThat(guard.circuitState()).isEqualTo(CircuitState.CLOSED);
    settle();
    assertThat(sink.records())
        .extracting(LogRecord::code)
        .containsSubsequence(
            "GUARD_CIRCUIT_OPENED", "GUARD_CIRCUIT_HALF_OPEN", "GUARD_CIRCUIT_CLOSED");
  }

  @Test
  void failedTrialsReopenForAnotherWait() throws Exception {
    Guard guard = openedGuard();
    clock.advance(Duration.ofSeconds(5));

    assertThatThrownBy(() -> guard.call(FAIL)).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> guard.call(FAIL)).isInstanceOf(IOException.class);

    assertThat(guard.circuitState()).isEqualTo(CircuitState.OPEN);
    clock.advance(Duration.ofSeconds(4));
    assertThatThrownBy(() -> guard.call(OK)).isInstanceOf(CircuitOpenException.class);
    clock.advance(Duration.ofSeconds(1));
    assertThat(guard.call(OK)).isEqualTo("ok");
    assertThat(guard.circuitState()).isEqualTo(CircuitState.HALF_OPEN);
  }

  @Test
  void timeBasedWindowForgetsOutcomesOlderThanTheWindow() throws Exception {
    Guard guard =
        guard(
            tenCalls()
                .slidingWindowType(CircuitBreakerSettings.WindowType.TIME_BASED)
                .slidingWindowSize(10)
                .minimumNumberOfCalls(4)
                .build());
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> guard.call(FAIL)).isInstanceOf(IOException.class);
    }
    clock.advance(Duration.ofSeconds(11)); // the three failures age out
    guard.call(OK);
    guard.call(OK);
    assertThatThrownBy(() -> guard.call(FAIL)).isInstanceOf(IOException.class);
    assertThat(guard.circuitState()).isEqualTo(CircuitState.CLOSED); // 1 of 3 in window

    assertThatThrownBy(() -> guard.call(FAIL)).isInstanceOf(IOException.class);

    assertThat(guard.circuitState()).isEqualTo(CircuitState.OPEN); // 2 of 4 = 50%
  }

  private Guard openedGuard() throws Exception {
    Guard guard = guard(tenCalls().minimumNumberOfCalls(2).slidingWindowSize(2).build());
    assertThatThrownBy(() -> guard.call(FAIL)).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> guard.call(FAIL)).isInstanceOf(IOException.class);
    assertThat(guard.circuitState()).isEqualTo(CircuitState.OPEN);
    return guard;
  }

  private double calls(String outcome) {
    return registry
        .get("stability.guard.calls")
        .tag("guard", "exchange-link")
        .tag("outcome", outcome)
        .functionTimer()
        .count();
  }

  @Test
  void everyGuardEventAndMetricIsInTheCatalogs() throws Exception {
    Guard guard = openedGuard();
    guard.call(() -> "x", e -> "fallback");
    settle();

    for (LogRecord record : sink.records()) {
      StabilityEventCode.valueOf(record.code()); // throws for a code outside the SDK catalog
    }
    for (var meter : registry.getMeters()) {
      assertThat(dev.stability.api.metric.StabilityMetric.values())
          .extracting(dev.stability.api.metric.StabilityMetric::metricName)
          .contains(meter.getId().getName());
    }
    assertThat(sink.withCode("GUARD_FALLBACK_USED")).hasSize(1);
  }
}
