package dev.stability.core.journal.internal;

/** What a journal tells its owner (events, metrics); every method is on the rare path. */
public interface JournalListener {

  /** Does nothing: a journal used without a runtime. */
  JournalListener NONE = new JournalListener() {};

  /** The journal opened with this last and durable sequence and epoch. */
  default void opened(String directory, long lastSequence, long epoch) {}

  /** A torn or corrupted record was found; nothing at or after it is data. */
  default void corrupted(String segment, long offset, String problem, String savedTo) {}

  /** A new segment was started. */
  default void rolled(String segment, long firstSequence) {}

  /** An append with a stale epoch was refused. */
  default void fenced(long epoch, long current) {}

  /** A force took this long. */
  default void flushed(long nanos) {}

  /** A force failed. */
  default void flushFailed(Exception error) {}
}
