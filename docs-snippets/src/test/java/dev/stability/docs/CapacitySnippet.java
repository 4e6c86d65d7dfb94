package dev.stability.docs;

// tag::capacity[]
import dev.stability.core.StabilityRuntime;
import dev.stability.core.capacity.CapacityIndicator;
import dev.stability.core.capacity.CapacitySettings;
import java.nio.file.Path;

// end::capacity[]

class CapacitySnippet {
  void snippet(dev.stability.api.ServiceIdentity identity) throws Exception {
    // tag::capacity[]
    StabilityRuntime runtime =
        StabilityRuntime.builder(identity)
            .capacity(
                CapacitySettings.builder()
                    .indicators("orders", "trades")
                    .store(
                        Path.of("/var/lib/oms/capacity.json")) // historical peaks survive restarts
                    .build()) // required headroom: 3x by default
            .build();
    CapacityIndicator orders = runtime.capacity().indicator("orders");
    orders.record(); // per order: one striped add, 0 B
    orders.recordTested(
        45_000, "pressure test 2026-11-28"); // the testkit's pressure test does this
    // end::capacity[]
  }
}
