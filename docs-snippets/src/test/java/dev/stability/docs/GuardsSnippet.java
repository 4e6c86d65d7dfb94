package dev.stability.docs;

// tag::guards[]
import dev.stability.core.StabilityRuntime;
import dev.stability.core.guard.BulkheadSettings;
import dev.stability.core.guard.CircuitBreakerSettings;
import dev.stability.core.guard.GuardSettings;
import dev.stability.core.guard.LoadSheddingSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

// end::guards[]

class GuardsSnippet {
  void snippet(dev.stability.api.ServiceIdentity identity, ExchangeLink link, Order order)
      throws Exception {
    // tag::guards[]
    StabilityRuntime runtime =
        StabilityRuntime.builder(identity)
            .guard(
                GuardSettings.builder("exchange-link")
                    .deadline(Duration.ofMillis(50))
                    .circuitBreaker(
                        CircuitBreakerSettings.builder()
                            .failureRateThreshold(50)
                            .slowCallDurationThreshold(Duration.ofMillis(20))
                            .build())
                    .bulkhead(BulkheadSettings.of(64))
                    .loadShedding(LoadSheddingSettings.defaults())
                    .build())
            .guards(Path.of("guards.yaml")) // more guards from a document (other names), same keys
            .build();

    Callable<Ack> send = runtime.guards().guard("exchange-link").decorate(() -> link.send(order));
    Ack ack = send.call(); // hot path: no lock, no allocation on success
    // end::guards[]
  }
}
