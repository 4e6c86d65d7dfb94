package ${package};

import static dev.stability.api.event.StabilityEventCode.GUARD_CIRCUIT_OPENED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stability.api.guard.CircuitOpenException;
import dev.stability.api.health.HealthStatus;
import dev.stability.core.guard.CircuitBreakerSettings;
import dev.stability.testkit.junit.InjectFault;
import dev.stability.testkit.junit.StabilityTest;
import dev.stability.testkit.junit.TestRuntime;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The gateway on an isolated runtime per test, with the guards of the service's own {@code
 * guards.yaml} ({@code src/main/resources} is on the test class path).
 */
@StabilityTest(guards = "guards.yaml")
class OrderGatewayTest {

  @Test
  void ordersPassWhileTheExchangeAnswers(TestRuntime test) throws Exception {
    FakeExchange exchange = new FakeExchange();
    OrderGateway gateway = new OrderGateway(test.runtime(), exchange);

    assertEquals("ACK O-1", gateway.submit("O-1"));
    assertEquals(
        HealthStatus.UP, test.runtime().health().check(OrderGateway.EXCHANGE_CHECK).status());
  }

  @Test
  @InjectFault(guard = OrderGateway.LINK, errorRate = 1.0, exception = IOException.class)
  void breakerOpensWhenTheExchangeFails(TestRuntime test) {
    OrderGateway gateway = new OrderGateway(test.runtime(), new FakeExchange());

    // The breaker judges the failure rate once guards.yaml's minimum-number-of-calls is reached
    // (at most the window's size); with the defaults (100 calls) a few failures never open it.
    CircuitBreakerSettings breaker =
        test.runtime().guards().guard(OrderGateway.LINK).settings().circuitBreaker().orElseThrow();
    int callsToOpen = Math.min(breaker.minimumNumberOfCalls(), breaker.slidingWindowSize());
    for (int i = 0; i < callsToOpen; i++) {
      String order = "O-" + i;
      assertThrows(IOException.class, () -> gateway.submit(order));
    }

    test.expectEvent(GUARD_CIRCUIT_OPENED)
        .forGuard(OrderGateway.LINK)
        .within(Duration.ofSeconds(5));
    assertThrows(CircuitOpenException.class, () -> gateway.submit("O-refused"));
  }

  @Test
  void readinessIsDownWithoutAnExchangeSession(TestRuntime test) {
    FakeExchange exchange = new FakeExchange();
    exchange.connected = false;
    new OrderGateway(test.runtime(), exchange);

    assertEquals(
        HealthStatus.DOWN, test.runtime().health().check(OrderGateway.EXCHANGE_CHECK).status());
  }

  /** Answers every order; its session can be taken down. */
  private static final class FakeExchange implements ExchangeClient {
    volatile boolean connected = true;

    @Override
    public String send(String order) {
      return "ACK " + order;
    }

    @Override
    public boolean connected() {
      return connected;
    }
  }
}
