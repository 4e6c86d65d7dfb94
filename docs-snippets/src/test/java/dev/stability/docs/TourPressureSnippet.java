package dev.stability.docs;

// tag::tour-pressure[]
import dev.stability.testkit.pressure.PressureReport;
import dev.stability.testkit.pressure.PressureTest;
import java.time.Duration;

// end::tour-pressure[]

class TourPressureSnippet {
  void snippet(
      Domain.TradingSystem test, java.util.Iterator<Object> flow, Domain.TradingSystem system)
      throws Exception {
    // tag::tour-pressure[]
    PressureReport report =
        PressureTest.builder("orders", () -> test.submit(flow.next()))
            .rates(6_000, 8_000)
            .warmUp(Duration.ofSeconds(2))
            .measure(Duration.ofSeconds(2))
            .p99Limit(Duration.ofMillis(25))
            .build()
            .run();
    report.recordInto(system.orders()); // headroom = tested / historical peak, checked at 3x
    // end::tour-pressure[]
  }
}
