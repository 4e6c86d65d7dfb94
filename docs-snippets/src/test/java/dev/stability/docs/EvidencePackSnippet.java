package dev.stability.docs;

import dev.stability.testkit.junit.EvidenceCollector;
import dev.stability.testkit.junit.StabilityEvidence;
import dev.stability.testkit.pressure.PressureReport;
import dev.stability.testkit.pressure.PressureTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EvidencePackSnippet {
  static final long PEAK = 10_000;

  static void submit() {}

  // tag::evidence-pack[]
  @StabilityEvidence
  class PressureIT {
    @Test
    void ordersSustainThreeTimesThePeak(EvidenceCollector evidence) throws Exception {
      PressureReport report =
          PressureTest.builder("orders", () -> submit())
              .rates(3 * PEAK)
              .measure(Duration.ofSeconds(10))
              .p99Limit(Duration.ofMillis(2))
              .build()
              .run();
      evidence.pressure(report, 3 * PEAK); // R1, R2: into the pack, passed or not
      report.assertSustains(3 * PEAK);
    }
  }
  // end::evidence-pack[]
}
