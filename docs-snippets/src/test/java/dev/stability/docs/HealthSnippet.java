package dev.stability.docs;

// tag::health[]
import dev.stability.api.health.HealthCheck;
import dev.stability.api.health.HealthKind;
import dev.stability.api.health.HealthResult;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.health.HealthReport;
import dev.stability.core.health.HealthSettings;
import dev.stability.core.health.StandardChecks;
import java.time.Duration;

// end::health[]

class HealthSnippet {
  void snippet(
      dev.stability.api.ServiceIdentity identity,
      Domain.Gateway gateway,
      java.nio.file.Path journalDir,
      java.time.Clock clock,
      Domain.PtpClock ptp)
      throws Exception {
    // tag::health[]
    StabilityRuntime runtime =
        StabilityRuntime.builder(identity)
            .health(
                HealthSettings.builder() // defaults: timeout 1 s, cache 1 s, poll 10 s
                    .timeout(Duration.ofMillis(500))
                    .build())
            .healthCheck(
                HealthCheck.of(
                    "exchange-gw",
                    HealthKind.READINESS,
                    1,
                    () ->
                        gateway.loggedIn() ? HealthResult.up() : HealthResult.down("session lost")))
            .healthCheck(StandardChecks.diskSpace("journal", journalDir, 10L << 30))
            .healthCheck(StandardChecks.clockOffset(clock, ptp::now, Duration.ofMillis(1)))
            .build();

    HealthReport ready = runtime.health().tradingReadiness(); // what the operator runs pre-open
    System.out.println(ready.toText()); // ready.toJson() for tools
    // end::health[]
  }
}
