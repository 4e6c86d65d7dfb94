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
   * Compares a former primary's journal with the journal of the standby that took over from it and
   * names the records only the former primary holds: after an {@code ASYNC} failover, exactly what
   * was lost (the standby's own report at failover can only name what it heard of). Run it once the
   * former primary's files can be read (its process is gone; on another host, copy its journal
   * directory over first); it reads both journals from the first sequence both hold to their ends
   * (about a second per million records) and changes neither. Reports {@code JOURNAL_RECONCILED}:
   * INFO when nothing was lost, WARN naming the lost range, ERROR when the journals do not fit a
   * failover (see {@link JournalReconciliation#problem()}).
   *
   * @param formerPrimary the directory of the former primary's journal
   * @param promoted the directory of the new primary's journal (it may be open for writing)
   * @throws IllegalArgumentException if either directory holds no journal, or they share no
   *     sequence
   * @throws java.io.UncheckedIOException if a file cannot be read
   */
  JournalReconciliation reconcile(Path formerPrimary, Path promoted);

  /**
   * A journal in memory, on the runtime's clock, for tests: every record durable at once, nothing
   * kept after it is closed.
   */
  Journal inMemory();
}
