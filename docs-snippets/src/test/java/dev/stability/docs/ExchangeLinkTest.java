package dev.stability.docs;

// tag::testkit[]
import static dev.stability.api.event.StabilityEventCode.GUARD_CIRCUIT_OPENED;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stability.core.guard.Guard;
import dev.stability.testkit.junit.InjectFault;
import dev.stability.testkit.junit.StabilityTest;
import dev.stability.testkit.junit.TestRuntime;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@StabilityTest(manualClock = true, guards = "guards.yaml") // an isolated runtime per test
class ExchangeLinkTest {
  @Test
  @InjectFault(guard = "exchange-link", errorRate = 1.0, exception = IOException.class)
  void breakerOpensWhenTheLinkFails(TestRuntime test) {
    Guard link = test.runtime().guards().guard("exchange-link");
    for (int i = 0; i < 4; i++) {
      assertThrows(IOException.class, () -> link.call(() -> "sent"));
    }
    test.expectEvent(GUARD_CIRCUIT_OPENED).forGuard("exchange-link").within(Duration.ofSeconds(2));
    test.expectMetric("stability.guard.calls").tag("outcome", "FAILURE").increasedBy(4);
  }
}
// end::testkit[]
