package dev.stability.docs;

// tag::quick-start[]
import dev.stability.api.ServiceIdentity;
import dev.stability.api.health.HealthCheck;
import dev.stability.api.health.HealthKind;
import dev.stability.api.health.HealthResult;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.guard.CircuitBreakerSettings;
import dev.stability.core.guard.Guard;
import dev.stability.core.guard.GuardSettings;
import dev.stability.core.health.HealthReport;
import java.time.Duration;

public class QuickStart {
  public static void main(String[] args) throws Exception {
    ServiceIdentity identity =
        ServiceIdentity.builder()
            .systemCode("OMS")
            .subsystem("order-entry")
            .instanceId("oms-a1")
            .build();
    try (StabilityRuntime runtime =
        StabilityRuntime.builder(identity)
            .guard(
                GuardSettings.builder("exchange-link")
                    .deadline(Duration.ofMillis(50))
                    .circuitBreaker(
                        CircuitBreakerSettings.builder().failureRateThreshold(50).build())
                    .build())
            .healthCheck(
                HealthCheck.of("exchange-gw", HealthKind.READINESS, 1, () -> HealthResult.up()))
            .build()) {
      Guard exchangeLink = runtime.guards().guard("exchange-link");
      String ack = exchangeLink.call(() -> "sent"); // your outbound call goes here
      HealthReport readiness = runtime.health().report(HealthKind.READINESS);
      System.out.println(ack + "\n" + readiness.toText());
    }
  }
}
// end::quick-start[]
