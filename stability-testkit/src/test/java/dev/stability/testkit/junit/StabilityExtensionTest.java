package dev.stability.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.guard.CircuitState;
import dev.stability.core.ManualClock;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.guard.CircuitBreakerSettings;
import dev.stability.core.guard.Guard;
import dev.stability.core.guard.GuardSettings;
import dev.stability.testkit.RecordingEventSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

@StabilityTest(guards = "test-guards.yaml")
class StabilityExtensionTest {

  private static final Callable<String> FAIL =
      () -> {
        throw new IOException("down");
      };

  private static void openBreaker(Guard guard) {
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> guard.call(FAIL)).isInstanceOf(IOException.class);
    }
  }

  @Test
  void injectsOneRuntimeWithItsGuardsSinkAndTempDir(
      TestRuntime test, StabilityRuntime runtime, RecordingEventSink sink) throws Exception {
    assertThat(test.runtime()).isSameAs(runtime);
    assertThat(test.events()).isSameAs(sink);
    assertThat(runtime.guards().guard("exchange-link").circuitState())
        .isEqualTo(CircuitState.CLOSED);
    Files.writeString(test.tempDir().resolve("journal.dat"), "x");
    assertThat(Files.exists(test.tempDir().resolve("journal.dat"))).isTrue();
    assertThat(test.clock()).isEmpty();
  }

  @Test
  void eventExpectationFindsTheEventForTheGuardAndFailsForAnother(TestRuntime test) {
    openBreaker(test.runtime().guards().guard("exchange-link"));

    assertThat(
            test.expectEvent(StabilityEventCode.GUARD_CIRCUIT_OPENED)
                .forGuard("exchange-link")
                .within(Duration.ofSeconds(2))
                .attrs())
        .containsEntry("to", "OPEN");
    assertThatThrownBy(
            () ->
                test.expectEvent(StabilityEventCode.GUARD_CIRCUIT_OPENED)
                    .forGuard("risk-check")
                    .within(Duration.ofMillis(100)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("expected an event GUARD_CIRCUIT_OPENED [guard=risk-check]")
        .hasMessageContaining("GUARD_CIRCUIT_OPENED(exchange-link)");
    test.expectEvent(StabilityEventCode.GUARD_CIRCUIT_OPENED).times(1);
    test.expectEvent(StabilityEventCode.GUARD_CIRCUIT_CLOSED).never();
    assertThatThrownBy(() -> test.expectEvent(StabilityEventCode.GUARD_CIRCUIT_OPENED).never())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("expected 0 events GUARD_CIRCUIT_OPENED but got 1");
  }

  @Test
  void aBreakerThatCannotOpenYetIsExplainedWhenItsEventDoesNotArrive(TestRuntime test) {
    Guard guard =
        test.runtime()
            .guards()
            .register(
                GuardSettings.builder("default-breaker")
                    .circuitBreaker(CircuitBreakerSettings.builder().build())
                    .build());
    for (int i = 0; i < 4; i++) {
      assertThatThrownBy(() -> guard.call(FAIL)).isInstanceOf(IOException.class);
    }

    assertThatThrownBy(
            () ->
                test.expectEvent(StabilityEventCode.GUARD_CIRCUIT_OPENED)
                    .forGuard("default-breaker")
                    .within(Duration.ofMillis(100)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(
            "guard 'default-breaker' is CLOSED: its breaker evaluates its failure rate (50.0%)"
                + " only once its window (100 calls) holds 100 calls"
                + " (circuit-breaker.minimum-number-of-calls, sliding-window-size in the guard"
                + " document); 4 went through it in this test");
    assertThatThrownBy(
            () ->
                test.expectEvent(StabilityEventCode.GUARD_CIRCUIT_OPENED)
                    .forGuard("no-such-guard")
                    .within(Duration.ofMillis(10)))
        .hasMessageContaining("guards.no-such-guard = 'no-such-guard': no such guard");
    assertThatThrownBy(
            () -> test.expectEvent(StabilityEventCode.APP_LOG).within(Duration.ofMillis(10)))
        .message()
        .doesNotContain("circuit-breaker.minimum-number-of-calls");
  }

  /** Run on an engine of its own by the test below: its guard document is not on the class path. */
  @StabilityTest(guards = "no-such-guards.yaml")
  static class MissingGuardDocument {
    @Test
    void needsTheRuntime(TestRuntime test) {
      assertThat(test).isNotNull();
    }
  }

  @Test
  void aGuardDocumentIsReadFromTheTestClassPathAndAMissingOneIsNamed() {
    EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(MissingGuardDocument.class))
        .execute()
        .testEvents()
        .assertStatistics(stats -> stats.started(1).failed(1))
        .failed()
        .stream()
        .map(event -> event.getPayload(org.junit.platform.engine.TestExecutionResult.class))
        .forEach(
            result ->
                assertThat(result.orElseThrow().getThrowable().orElseThrow())
                    .hasMessage(
                        "guard configuration resource 'no-such-guards.yaml' is not on the test"
                            + " class path"));
  }

  @Test
  void metricExpectationCountsFromTheStartOfTheTest(TestRuntime test) {
    Guard guard = test.runtime().guards().guard("exchange-link");
    openBreaker(guard);
    assertThatThrownBy(() -> guard.call(() -> "x")).hasMessageContaining("OPEN");

    test.expectMetric("stability.guard.calls").tag("outcome", "FAILURE").increasedBy(2);
    test.expectMetric("stability.guard.calls").tag("outcome", "REJECTED").increasedBy(1);
    assertThatThrownBy(
            () ->
                test.expectMetric("stability.guard.calls").tag("outcome", "SUCCESS").increasedBy(1))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("to increase by 1.0 but it increased by 0.0");
    assertThatThrownBy(() -> test.expectMetric("no.such.metric").increasedBy(0))
        .hasMessageContaining("no meter no.such.metric");
    test.expectNoRecordLost();
  }

  @Test
  @StabilityTest(manualClock = true, guards = "test-guards.yaml")
  void manualClockDrivesTheBreakerWait(TestRuntime test, ManualClock clock) throws Exception {
    Guard guard = test.runtime().guards().guard("exchange-link");
    openBreaker(guard);

    clock.advance(Duration.ofSeconds(60)); // the default wait in open state

    assertThat(guard.call(() -> "trial")).isEqualTo("trial");
    assertThat(guard.circuitState()).isEqualTo(CircuitState.HALF_OPEN);
  }

  @Test
  void eachTestGetsItsOwnRuntime(TestRuntime test) {
    // the breaker opened in other tests of this class is not visible here
    assertThat(test.runtime().guards().guard("exchange-link").circuitState())
        .isEqualTo(CircuitState.CLOSED);
    test.expectEvent(StabilityEventCode.GUARD_CIRCUIT_OPENED).never();
    assertThat(test.runtime().identity().instanceId()).startsWith("test-");
    Path dir = test.tempDir();
    assertThat(dir).exists();
  }
}
