package dev.stability.core.standby;

import dev.stability.api.journal.Journal;
import dev.stability.api.journal.JournalReader;
import dev.stability.core.journal.internal.FileJournal;
import java.nio.file.Path;

/**
 * Where a standby reads the primary's journal from (R9). Supported now: a journal object in this
 * process, and the journal's files on this host (another process's). A cross-host transport (a
 * replicated stream) plugs in as another implementation; the follower does not change.
 */
public interface JournalSource {

  /** A reader from {@code sequence} on. */
  JournalReader open(long sequence);

  /** The primary's last appended sequence, or -1 if this source cannot tell. */
  long lastSequence();

  /** The journal itself, in this process. */
  static JournalSource of(Journal journal) {
    return new JournalSource() {
      @Override
      public JournalReader open(long sequence) {
        return journal.reader(sequence);
      }

      @Override
      public long lastSequence() {
        return journal.lastSequence();
      }

      @Override
      public String toString() {
        return "JournalSource[" + journal + "]";
      }
    };
  }

  /** The journal's files in {@code directory}, written by another process on this host. */
  static JournalSource files(Path directory) {
    return new JournalSource() {
      @Override
      public JournalReader open(long sequence) {
        return FileJournal.reader(directory, sequence);
      }

      @Override
      public long lastSequence() {
        return -1;
      }

      @Override
      public String toString() {
        return "JournalSource[" + directory + "]";
      }
    };
  }
}
