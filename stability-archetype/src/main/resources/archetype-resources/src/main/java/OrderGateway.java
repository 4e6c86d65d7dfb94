package ${package};

import dev.stability.api.annotation.CriticalPath;
import dev.stability.api.health.HealthCheck;
import dev.stability.api.health.HealthKind;
import dev.stability.api.health.HealthResult;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.guard.Guard;
import java.util.Objects;

/**
 * Sends orders to the exchange through one guard ({@code exchange-link}, defined in {@code
 * guards.yaml}) and tells the runtime's readiness whether the exchange session is up.
 */
public final class OrderGateway {

  /** The guard around every call to the exchange, as named in {@code guards.yaml}. */
  public static final String LINK = "exchange-link";

  /** The readiness check of the exchange session. */
  public static final String EXCHANGE_CHECK = "exchange";

  private final Guard link;
  private final ExchangeClient exchange;

  /**
   * Takes the guard from the runtime and registers the exchange's readiness check with it.
   *
   * @throws dev.stability.api.ConfigurationException if the runtime has no {@code exchange-link}
   *     guard or already has an {@code exchange} check
   */
  public OrderGateway(StabilityRuntime runtime, ExchangeClient exchange) {
    this.exchange = Objects.requireNonNull(exchange, "exchange");
    this.link = runtime.guards().guard(LINK);
    runtime
        .health()
        .register(
            HealthCheck.of(
                EXCHANGE_CHECK,
                HealthKind.READINESS,
                1,
                () ->
                    exchange.connected()
                        ? HealthResult.up()
                        : HealthResult.down("no session with the exchange")));
  }

  /**
   * Sends an order through the guard.
   *
   * @return the exchange's acknowledgement
   * @throws java.io.IOException the exchange's own failure, unchanged
   * @throws dev.stability.api.guard.GuardRejectedException a refusal of the guard, such as {@code
   *     CircuitOpenException} while the breaker is open
   */
  @CriticalPath
  public String submit(String order) throws Exception {
    return link.call(() -> exchange.send(order));
  }
}
