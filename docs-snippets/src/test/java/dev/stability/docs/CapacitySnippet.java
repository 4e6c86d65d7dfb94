package dev.stability.docs;

// tag::capacity[]
import dev.stability.core.StabilityRuntime;
import dev.stability.core.capacity.CapacityIndicator;
import dev.stability.core.capacity.CapacitySettings;
import dev.stability.core.operations.TradingCalendar;
import java.nio.file.Path;

// end::capacity[]

class CapacitySnippet {
  void snippet(dev.stability.api.ServiceIdentity identity, byte[] message) throws Exception {
    // tag::capacity[]
    StabilityRuntime runtime =
        StabilityRuntime.builder(identity)
            .capacity(
                CapacitySettings.builder()
                    .indicators("orders", "trades", "bandwidth") // orders, trades: 3x by default
                    .requiredMultiple("bandwidth", 2) // R1: bandwidth 2x last year's peak
                    .provisionedCapacity("bandwidth", 125_000_000) // 1 Gbit/s link, bytes/s
                    .calendar(TradingCalendar.chinaEquities().build()) // peaks in sessions only
                    .store(Path.of("/var/lib/oms/capacity.json")) // per-day peaks, 12 months
                    .build())
            .build();
    CapacityIndicator orders = runtime.capacity().indicator("orders");
    CapacityIndicator bandwidth = runtime.capacity().indicator("bandwidth");
    orders.record(); // per order: one striped add, 0 B
    bandwidth.record(message.length); // the bytes of each message sent or received
    orders.recordTested(
        45_000, "pressure test 2026-11-28"); // the testkit's pressure test does this
    // end::capacity[]
  }
}
