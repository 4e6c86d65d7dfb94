package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stability.api.guard.CircuitState;
import dev.stability.api.health.HealthStatus;
import dev.stability.core.StabilityRuntime;
import org.junit.jupiter.api.Test;

/** The service as it starts: the shipped guards.yaml read, the gateway wired to the runtime. */
class ApplicationTest {

  @Test
  void startsWithTheShippedGuardsAndSendsAnOrder() throws Exception {
    try (StabilityRuntime runtime = Application.start(Application.identity())) {
      OrderGateway gateway = new OrderGateway(runtime, new SimulatedExchange());

      assertEquals("ACK O-1", gateway.submit("O-1"));
      assertEquals(CircuitState.CLOSED, runtime.guards().guard(OrderGateway.LINK).circuitState());
      assertEquals(HealthStatus.UP, runtime.health().check(OrderGateway.EXCHANGE_CHECK).status());
    }
  }
}
