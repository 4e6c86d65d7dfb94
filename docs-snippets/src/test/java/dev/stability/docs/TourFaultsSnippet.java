package dev.stability.docs;

// tag::tour-faults[]
import dev.stability.testkit.discovery.DiscoveryCampaign;
import dev.stability.testkit.discovery.DiscoveryReport;
import java.time.Duration;

// end::tour-faults[]

class TourFaultsSnippet {
  private void hang(boolean value) {}

  void snippet(
      dev.stability.core.StabilityRuntime runtime,
      dev.stability.testkit.RecordingEventSink events,
      dev.stability.core.guard.Guard clearingGuard,
      Domain.Clearing clearing,
      Object batch,
      dev.stability.core.capacity.CapacityIndicator orders,
      double peak)
      throws Exception {
    // tag::tour-faults[]
    clearingGuard.run(() -> clearing.send(batch)); // on a sender thread; failures keep the batch
    DiscoveryReport discovery =
        DiscoveryCampaign.builder(runtime, events)
            .within(Duration.ofSeconds(4))
            .detector("orders above 80% of the historical peak", () -> orders.rate() > 0.8 * peak)
            .scenario(
                "clearing link errors", () -> clearing.refuse(true), () -> clearing.refuse(false))
            .scenario("settlement price service hangs", () -> hang(true), () -> hang(false))
            /* ... */ .build()
            .run();
    // end::tour-faults[]
  }
}
