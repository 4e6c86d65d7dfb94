package dev.stability.aeron.process;

import dev.stability.core.guard.CircuitBreakerSettings;
import dev.stability.core.guard.Guard;
import dev.stability.core.guard.GuardSettings;
import java.time.Duration;

/** The guards both sides of the cross-process switchover define, and how the primary opens one. */
final class WarmGuards {
  private WarmGuards() {}

  static GuardSettings clearingLink() {
    return breaker("clearing-link");
  }

  static GuardSettings riskDb() {
    return breaker("risk-db");
  }

  private static GuardSettings breaker(String name) {
    return GuardSettings.builder(name)
        .circuitBreaker(
            CircuitBreakerSettings.builder()
                .minimumNumberOfCalls(5)
                .waitDurationInOpenState(Duration.ofMinutes(5))
                .build())
        .build();
  }

  /** Five failures: the breaker opens for five minutes. */
  static void open(Guard guard) {
    for (int i = 0; i < 5; i++) {
      guard.call(
          () -> {
            throw new IllegalStateException("clearing link refused the login");
          },
          e -> null);
    }
  }
}
