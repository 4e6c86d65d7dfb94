package dev.stability.docs;

// tag::pressure[]
import dev.stability.testkit.discovery.DiscoveryCampaign;
import dev.stability.testkit.discovery.DiscoveryReport;
import dev.stability.testkit.drill.DrillReport;
import dev.stability.testkit.drill.SwitchDrill;
import dev.stability.testkit.evidence.EvidenceReport;
import dev.stability.testkit.pressure.PressureReport;
import dev.stability.testkit.pressure.PressureTest;
import java.nio.file.Path;
import java.time.Duration;

// end::pressure[]

class PressureSnippet {
  private byte[] nextOrder() {
    return new byte[0];
  }

  void snippet(
      dev.stability.core.StabilityRuntime runtime,
      Domain.Gateway gateway,
      double historicalPeak,
      dev.stability.api.standby.StateMachine book,
      dev.stability.api.standby.StateMachine otherBook,
      java.util.function.Supplier<byte[]> orders,
      java.nio.file.Path tmp,
      dev.stability.testkit.RecordingEventSink sink,
      Domain.Faulty link,
      Domain.Faulty risk)
      throws Exception {
    // tag::pressure[]
    PressureReport pressure =
        PressureTest.builder("orders", () -> gateway.submit(nextOrder()))
            .rates(20_000, 40_000, 60_000)
            .warmUp(Duration.ofSeconds(2))
            .measure(Duration.ofSeconds(10))
            .p99Limit(Duration.ofMillis(2))
            .build()
            .run(); // open loop: latency from each call's due time
    pressure.assertSustains(3 * historicalPeak); // R1
    pressure.recordInto(runtime.capacity().indicator("orders"));

    DrillReport drill =
        SwitchDrill.builder(runtime)
            .primary(book)
            .standby(otherBook)
            .inputs(orders)
            .directory(tmp)
            .kind(SwitchDrill.Kind.PLANNED)
            .clients(50)
            .build()
            .run()
            .assertPassed(); // 0 acknowledged lost, digests equal, clients back

    DiscoveryReport discovery =
        DiscoveryCampaign.builder(runtime, sink)
            .within(Duration.ofSeconds(2))
            .scenario("exchange errors", link::breakIt, link::fix)
            .scenario("risk engine hangs", risk::hang, risk::release)
            .build()
            .run();
    discovery.assertRate(0.9); // R13

    new EvidenceReport("OMS")
        .pressure("PressureIT", pressure, 3 * historicalPeak)
        .drill("DrillIT", drill)
        .discovery("DiscoveryIT", discovery, 0.9)
        .write(Path.of("target/evidence")); // evidence.json + evidence.html
    // end::pressure[]
  }
}
