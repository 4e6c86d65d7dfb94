package dev.stability.examples.spring;

import dev.stability.api.health.HealthCheck;
import dev.stability.api.health.HealthKind;
import dev.stability.api.health.HealthResult;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/**
 * A pre-trade risk-check service in front of the trading core, on the SDK's Spring Boot starter:
 * the runtime, its guards and health settings come from {@code application.yml}; orders are checked
 * against limits and sent on through the {@code exchange-link} guard, with a fallback that holds
 * them locally; the venue session is an SDK health check in Actuator's readiness probe.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RiskCheckApplication {

  public static void main(String[] args) {
    SpringApplication.run(RiskCheckApplication.class, args);
  }

  /**
   * The venue session as an SDK check: grade 1 and readiness, so a logged-out session takes the
   * service out of Actuator's readiness probe (503) and fails the trading-readiness report.
   */
  @Bean
  HealthCheck venueSession(ExchangeLink link) {
    return HealthCheck.of(
        "venue-session",
        HealthKind.READINESS,
        1,
        () ->
            link.loggedOn()
                ? HealthResult.up()
                : HealthResult.down("venue session logged out: " + link.outageReason()));
  }
}
