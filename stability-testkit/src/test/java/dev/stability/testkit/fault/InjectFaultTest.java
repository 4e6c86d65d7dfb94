package dev.stability.testkit.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.guard.CircuitState;
import dev.stability.api.guard.DeadlineExceededException;
import dev.stability.core.guard.Guard;
import dev.stability.testkit.junit.InjectFault;
import dev.stability.testkit.junit.StabilityTest;
import dev.stability.testkit.junit.TestRuntime;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

@StabilityTest(manualClock = true, guards = "fault-guards.yaml")
class InjectFaultTest {

  @Test
  @InjectFault(guard = "exchange-link", errorRate = 1.0, exception = TimeoutException.class)
  void declaredFailuresReachTheGuardAndOpenItsBreaker(TestRuntime test) {
    Guard guard = test.runtime().guards().guard("exchange-link");

    for (int i = 0; i < 4; i++) {
      assertThatThrownBy(() -> guard.call(() -> "sent"))
          .isInstanceOf(TimeoutException.class)
          .hasMessage("fault injected into guard 'exchange-link' by @InjectFault");
    }

    assertThat(guard.circuitState()).isEqualTo(CircuitState.OPEN);
    test.expectEvent(StabilityEventCode.GUARD_CIRCUIT_OPENED).within(Duration.ofSeconds(2));
  }

  @Test
  @InjectFault(guard = "exchange-link", latencyMs = 25)
  void declaredLatencyAdvancesTheManualClockPastTheDeadline(TestRuntime test) {
    Guard guard = test.runtime().guards().guard("exchange-link");

    assertThatThrownBy(() -> guard.call(() -> "late"))
        .isInstanceOf(DeadlineExceededException.class)
        .hasMessageContaining("call took 25.000 ms");
  }

  @Test
  void withoutTheAnnotationTheGuardIsUntouched(TestRuntime test) throws Exception {
    assertThat(test.runtime().guards().guard("exchange-link").call(() -> "sent")).isEqualTo("sent");
  }
}
