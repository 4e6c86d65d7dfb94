package dev.stability.core.journal;

import dev.stability.api.journal.Journal;
import dev.stability.api.journal.JournalReader;
import java.nio.file.Path;

/**
 * The runtime's journals, reached through {@code runtime.journals()} like every other subsystem
 * (R9, R11). A journal opened here reports to its runtime ({@code JOURNAL_*} events: opened,
 * corruption found at recovery, segment rolled, stale-epoch append refused, flush failed; the
 * {@code stability.journal.*} metrics) and is closed when the runtime closes. Thread-safe.
 */
public interface Journals {

  /**
   * Opens (or creates) a file journal and recovers its tail.
   *
   * @throws java.io.UncheckedIOException if it cannot be opened
   */
  Journal open(JournalSettings settings);

  /**
   * Opens (or creates) a file journal that can also take replica records ({@link
   * ReplicaJournal#appendReplica}): the standby's own copy of the primary's journal. Same files,
   * same reporting as {@link #open}.
   *
   * @throws java.io.UncheckedIOException if it cannot be opened
   */
  ReplicaJournal openReplica(JournalSettings settings);

  /**
   * A reader of the file journal in {@code directory} that does not open it for writing: what a
   * standby on the same host uses to tail the primary's files, or a tool to read a journal. It
   * never changes the files (recovery is the writer's job); a damaged record stops it with a {@code
   * JournalCorruptedException}. The caller closes it.
   *
   * @throws IllegalArgumentException if there is no journal there or it does not hold {@code
   *     fromSequence}
   */
  JournalReader reader(Path directory, long fromSequence);

  /**
   * A journal in memory, on the runtime's clock, for tests: every record durable at once, nothing
   * kept after it is closed.
   */
  Journal inMemory();
}
