package dev.stability.core.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Whatever the former primary wrote and the standby received, the lost range is exactly the gap.
 */
class JournalReconciliationProperties {

  @Property(tries = 40)
  void theLostRangeIsExactlyWhatTheFormerPrimaryHeldBeyondTheStandby(
      @ForAll @IntRange(min = 1, max = 1_500) int written,
      @ForAll @IntRange(min = 0, max = 100) int receivedPercent,
      @ForAll @IntRange(min = 0, max = 400) int afterTakeover)
      throws IOException {
    int received = Math.max(1, written * receivedPercent / 100);
    Path dir = Files.createTempDirectory("reconcile");
    try (StabilityRuntime runtime = TestRuntimes.quiet("reconcile-p").build()) {
      JournalReconciliationTest.failover(
          runtime.journals(), dir.resolve("a"), dir.resolve("b"), written, received, afterTakeover);

      JournalReconciliation result =
          runtime.journals().reconcile(dir.resolve("a"), dir.resolve("b"));

      assertThat(result.consistent()).isTrue();
      assertThat(result.formerLast()).isEqualTo(written);
      assertThat(result.promotedLast()).isEqualTo(received + afterTakeover);
      assertThat(result.commonThrough()).isEqualTo(received);
      assertThat(result.lost()).isEqualTo(written - received);
      if (written > received) {
        assertThat(result.lostFrom()).isEqualTo(received + 1);
        assertThat(result.lostTo()).isEqualTo(written);
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
