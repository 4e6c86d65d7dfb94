package dev.stability.core.journal;

import dev.stability.api.journal.Journal;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs in a child JVM for {@link JournalCrashTest}: appends records in a loop and prints each
 * sequence the journal reports durable, until it is killed.
 */
public final class JournalCrashChild {

  private JournalCrashChild() {}

  /** Arguments: journal directory, flush policy (every-record, batch or os). */
  public static void main(String[] args) {
    FlushPolicy policy =
        switch (args[1]) {
          case "every-record" -> FlushPolicy.everyRecord();
          case "batch" -> FlushPolicy.batch(16, Duration.ofMillis(5));
          default -> FlushPolicy.os();
        };
    PrintStream out = System.out;
    try (StabilityRuntime runtime = TestRuntimes.quiet("crash").build();
        Journal journal =
            runtime
                .journals()
                .open(
                    JournalSettings.builder("crash", Path.of(args[0]))
                        .segmentSize(1 << 20)
                        .flush(policy)
                        .build())) {
      long reported = journal.lastSequence();
      long sequence = journal.lastSequence();
      while (true) {
        sequence++;
        // Sizes up to 60 KB, so that a kill often lands in the middle of copying a record.
        int size = (int) (sequence * 7919 % 60_000);
        journal.append(1, JournalTest.payload(sequence, size));
        long durable = journal.durableSequence();
        if (durable > reported) {
          out.println("durable " + durable);
          out.flush();
          reported = durable;
        }
      }
    }
  }
}
