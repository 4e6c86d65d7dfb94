package dev.stability.core.journal.internal;

import dev.stability.api.journal.Journal;
import dev.stability.api.journal.JournalReader;
import dev.stability.core.internal.RuntimeContext;
import dev.stability.core.journal.JournalReconciliation;
import dev.stability.core.journal.JournalSettings;
import dev.stability.core.journal.Journals;
import dev.stability.core.journal.ReplicaJournal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The runtime's {@link Journals}: opens reporting journals and closes them with it. Internal. */
public final class RuntimeJournals implements Journals, AutoCloseable {

  private final RuntimeContext context;
  private final List<Journal> opened = new ArrayList<>();

  /** Journals for the runtime of this context. */
  public RuntimeJournals(RuntimeContext context) {
    this.context = context;
  }

  @Override
  public Journal open(JournalSettings settings) {
    return openReplica(settings);
  }

  @Override
  public ReplicaJournal openReplica(JournalSettings settings) {
    FileJournal journal =
        new FileJournal(
            settings,
            context.clock(),
            new ReportingListener(settings.name(), context.events(), context.meters()));
    ReportingListener.bind(journal, context.meters());
    track(journal);
    return journal;
  }

  @Override
  public JournalReader reader(Path directory, long fromSequence) {
    return FileJournal.reader(directory, fromSequence);
  }

  @Override
  public JournalReconciliation reconcile(Path formerPrimary, Path promoted) {
    return Reconciler.reconcile(formerPrimary, promoted, context.events());
  }

  @Override
  public Journal inMemory() {
    return track(new MemoryJournal(context.clock()));
  }

  private synchronized Journal track(Journal journal) {
    opened.add(journal);
    return journal;
  }

  /** Closes every journal opened here. */
  @Override
  public synchronized void close() {
    opened.forEach(Journal::close);
  }
}
