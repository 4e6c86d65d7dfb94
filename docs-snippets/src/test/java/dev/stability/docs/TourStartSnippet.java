package dev.stability.docs;

// tag::tour-start[]
import dev.stability.api.health.HealthCheck;
import dev.stability.api.health.HealthKind;
import dev.stability.api.journal.Journal;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.capacity.CapacitySettings;
import dev.stability.core.guard.CircuitBreakerSettings;
import dev.stability.core.guard.GuardSettings;
import dev.stability.core.health.HealthReport;
import dev.stability.core.journal.FlushPolicy;
import dev.stability.core.journal.JournalSettings;
import dev.stability.core.operations.OperationSettings;
import dev.stability.core.operations.TradingCalendar;
import dev.stability.core.standby.Follower;
import dev.stability.core.standby.FollowerSettings;
import dev.stability.core.standby.JournalSource;
import dev.stability.ops.OpsEndpoint;
import dev.stability.ops.OpsEndpointSettings;
import java.time.Duration;

// end::tour-start[]

class TourStartSnippet {
  private dev.stability.api.health.HealthResult standbyHealth() {
    return dev.stability.api.health.HealthResult.up();
  }

  private dev.stability.api.health.HealthResult priceHealth() {
    return dev.stability.api.health.HealthResult.up();
  }

  void snippet(
      dev.stability.api.ServiceIdentity identity,
      java.nio.file.Path dir,
      dev.stability.api.standby.StateMachine standbyCore,
      String zhangToken,
      String liToken)
      throws Exception {
    // tag::tour-start[]
    StabilityRuntime runtime =
        StabilityRuntime.builder(identity)
            .guard(
                GuardSettings.builder("clearing-link")
                    .circuitBreaker(
                        CircuitBreakerSettings.builder()
                            .slidingWindowSize(10)
                            .minimumNumberOfCalls(5)
                            .failureRateThreshold(50)
                            .slowCallDurationThreshold(Duration.ofMillis(50))
                            .slowCallRateThreshold(50)
                            .build())
                    .build())
            .capacity(
                CapacitySettings.builder()
                    .indicators("orders", "trades")
                    .store(dir.resolve("capacity.json"))
                    .build())
            .operations(
                OperationSettings.builder()
                    .calendar(TradingCalendar.chinaEquities().build())
                    .logFile(dir.resolve("operations/operations.jsonl"))
                    .build())
            .healthCheck(HealthCheck.of("standby", HealthKind.READINESS, 2, this::standbyHealth))
            .healthCheck(
                HealthCheck.of(
                    "settlement-prices", HealthKind.TRADING_READINESS, 1, this::priceHealth))
            .build();
    Journal journal =
        runtime
            .journals()
            .open(
                JournalSettings.builder("orders", dir.resolve("journal"))
                    .flush(FlushPolicy.batch(64, Duration.ofMillis(2)))
                    .build());
    Follower follower =
        runtime
            .standby()
            .follow(
                FollowerSettings.builder("standby", dir.resolve("standby"))
                    .checkpointEvery(1_000)
                    .maxLag(1_000)
                    .build(),
                JournalSource.of(journal),
                standbyCore);
    OpsEndpoint ops =
        OpsEndpoint.start(
            runtime,
            OpsEndpointSettings.builder()
                .token("zhang.san", zhangToken)
                .token("li.si", liToken)
                .build()); // loopback only
    HealthReport readiness = runtime.health().tradingReadiness(); // printed as a table
    // end::tour-start[]
  }
}
