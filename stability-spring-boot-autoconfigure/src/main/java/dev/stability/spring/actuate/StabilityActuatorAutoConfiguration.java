package dev.stability.spring.actuate;

import dev.stability.api.health.HealthKind;
import dev.stability.core.StabilityRuntime;
import dev.stability.spring.autoconfigure.StabilityAutoConfiguration;
import java.util.Map;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Shows the runtime in Actuator, when Actuator is on the class path: the SDK's liveness and
 * readiness checks as health indicators {@code stabilityLiveness} and {@code stabilityReadiness}
 * (also members of the {@code liveness} and {@code readiness} probe groups), and the {@code
 * tradingreadiness} endpoint. SDK meters need nothing here: the runtime publishes into the
 * application's {@code MeterRegistry}. Each bean backs off when the application defines its own.
 */
// After Actuator's health endpoint: its groups are post-processed by a bean post-processor
// registered there, and StabilityProbeGroups has to come after it to see the probe groups.
@AutoConfiguration(
    after = StabilityAutoConfiguration.class,
    afterName =
        "org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration")
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(StabilityRuntime.class)
public class StabilityActuatorAutoConfiguration {

  /** Created by Spring. */
  public StabilityActuatorAutoConfiguration() {}

  /** The pre-open report as {@code /actuator/tradingreadiness}. */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint(endpoint = TradingReadinessEndpoint.class)
  public TradingReadinessEndpoint tradingReadinessEndpoint(StabilityRuntime runtime) {
    return new TradingReadinessEndpoint(runtime);
  }

  /** The SDK's checks as health indicators ({@code management.health.stability.enabled}). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnEnabledHealthIndicator("stability")
  static class HealthIndicators {

    @Bean
    @ConditionalOnMissingBean(name = "stabilityLivenessHealthIndicator")
    StabilityHealthIndicator stabilityLivenessHealthIndicator(StabilityRuntime runtime) {
      return new StabilityHealthIndicator(runtime, HealthKind.LIVENESS);
    }

    @Bean
    @ConditionalOnMissingBean(name = "stabilityReadinessHealthIndicator")
    StabilityHealthIndicator stabilityReadinessHealthIndicator(StabilityRuntime runtime) {
      return new StabilityHealthIndicator(runtime, HealthKind.READINESS);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(
        prefix = "stability.health",
        name = "probe-groups",
        havingValue = "true",
        matchIfMissing = true)
    static StabilityProbeGroups stabilityProbeGroups() {
      return new StabilityProbeGroups(
          Map.of("liveness", "stabilityLiveness", "readiness", "stabilityReadiness"));
    }
  }
}
