package dev.stability.api.journal;

/**
 * Reads a journal in sequence order, from a given sequence on, as records appear (a tail). Each
 * record's checksum is verified before it is delivered: a torn or corrupted record stops the reader
 * with {@link JournalCorruptedException}, and nothing after it is ever delivered. Not thread-safe:
 * one reader per consuming thread.
 */
public interface JournalReader extends AutoCloseable {

  /**
   * Delivers up to {@code limit} records that are available now, in order.
   *
   * @return how many were delivered (0 when the reader is at the end)
   * @throws JournalCorruptedException naming where the bad record is
   */
  int poll(RecordHandler handler, int limit);

  /** The sequence of the next record this reader will deliver. */
  long nextSequence();

  /** Releases the reader's files. */
  @Override
  void close();
}
