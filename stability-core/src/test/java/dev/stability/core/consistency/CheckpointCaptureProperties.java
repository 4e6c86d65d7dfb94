package dev.stability.core.consistency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stability.api.consistency.Checkpoint;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import dev.stability.core.consistency.Positions.Position;
import dev.stability.core.consistency.StateDigestProperties.MapStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever the interleaving of mutations and captures, and however far the auditor's thread falls
 * behind, every checkpoint captured on the order path equals the digest at its call, and each is
 * compared exactly once.
 */
class CheckpointCaptureProperties {

  @Property(tries = 60)
  void everyCaptureEqualsTheDigestAtItsCallAndIsComparedOnce(
      @ForAll @Size(min = 1, max = 60) List<@IntRange(min = 0, max = 40) Integer> mutationsBefore) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MapStore primary = new MapStore();
    try (StabilityRuntime runtime = TestRuntimes.quiet("p1").meterRegistry(registry).build()) {
      CheckpointAuditor auditor = runtime.consistency().auditor();
      long seq = 0;
      int n = 0;
      for (int mutations : mutationsBefore) {
        for (int i = 0; i < mutations; i++) {
          seq++;
          primary.apply(
              new Position(
                  "A" + (seq % 13),
                  "IF2612",
                  seq % 7,
                  seq % 5,
                  BigDecimal.valueOf(seq, 2),
                  seq % 2 == 0));
        }
        seq++;
        auditor.standby(Checkpoint.of("standby", seq, 1, primary.digest));
        auditor.capturePrimary("primary", seq, 1, primary.digest);
        n++;
      }
      assertThat(auditor.awaitCaptured(Duration.ofSeconds(10))).isTrue();
      assertThat(registry.get("stability.consistency.checks").counter().count()).isEqualTo(n);
      assertThat(registry.get("stability.consistency.mismatches").counter().count()).isZero();
      assertThat(auditor.lastMatchedSequence()).hasValue(seq);
    }
  }
}
