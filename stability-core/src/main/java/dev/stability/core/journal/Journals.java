package dev.stability.core.journal;

import dev.stability.api.journal.Journal;
import dev.stability.api.journal.JournalReader;
import dev.stability.core.journal.internal.FileJournal;
import dev.stability.core.journal.internal.JournalListener;
import dev.stability.core.journal.internal.MemoryJournal;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Opens journals without a runtime (tools, tests, a standby process reading the primary's files). A
 * journal opened through {@code StabilityRuntime.openJournal} also reports events and metrics.
 */
public final class Journals {

  private Journals() {}

  /**
   * Opens (or creates) a file journal and recovers its tail.
   *
   * @throws java.io.UncheckedIOException if it cannot be opened
   */
  public static Journal open(JournalSettings settings) {
    return new FileJournal(settings, Clock.systemUTC(), JournalListener.NONE);
  }

  /**
   * A reader of the file journal in {@code directory} that does not open it for writing: what a
   * standby on the same host uses to tail the primary's files. It never changes the files (recovery
   * is the writer's job); a damaged record stops it with a {@code JournalCorruptedException}.
   *
   * @throws IllegalArgumentException if there is no journal there or it does not hold {@code
   *     fromSequence}
   */
  public static JournalReader reader(Path directory, long fromSequence) {
    return FileJournal.reader(directory, fromSequence);
  }

  /** A journal in memory, for tests: every record durable at once, nothing kept. */
  public static Journal inMemory(Clock clock) {
    return new MemoryJournal(clock);
  }
}
