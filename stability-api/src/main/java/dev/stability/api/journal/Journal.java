package dev.stability.api.journal;

import java.nio.ByteBuffer;

/**
 * The ordered, sequence-numbered, checksummed stream of inputs the primary processed (R9): the
 * primary appends every input before acting on it and acknowledges it to the client only once
 * {@link #durableSequence()} has reached its sequence; the standby reads the same stream and
 * rebuilds its own state from it. Every record carries its sequence (from 1, no gaps), the epoch of
 * the primary that wrote it, a timestamp, and a CRC32C of all of it.
 *
 * <p>Epoch fencing: {@link #fence(long)} raises the epoch at a promotion; from then on an append
 * stamped with a lower epoch (a primary that was replaced and does not know it yet) is refused with
 * {@link EpochFencedException}. One writer at a time; readers may run on other threads (and, for
 * the file journal, in other processes on the same host).
 */
public interface Journal extends AutoCloseable {

  /**
   * Appends a record and returns its sequence. The record is visible to readers when this returns;
   * it is durable when {@link #durableSequence()} says so.
   *
   * @param epoch the writer's epoch
   * @param payload the record's bytes, from its position to its limit (not consumed)
   * @throws EpochFencedException if {@code epoch} is lower than {@link #epoch()}
   * @throws IllegalArgumentException if the payload is larger than the journal allows
   */
  long append(long epoch, ByteBuffer payload);

  /** Appends a record; see {@link #append(long, ByteBuffer)}. */
  long append(long epoch, byte[] payload);

  /** The sequence of the last record appended (0 if none). */
  long lastSequence();

  /**
   * The highest sequence that is durable under the journal's flush policy; a record may be
   * acknowledged to its client once this has reached its sequence.
   */
  long durableSequence();

  /** Makes every appended record durable now (forces it to storage) and returns the sequence. */
  long sync();

  /** The current epoch: the highest epoch appended with or fenced. */
  long epoch();

  /**
   * Raises the epoch (a promotion): appends stamped with a lower one are refused from now on. The
   * new epoch is stored with the journal, so the fence holds after a restart.
   *
   * @throws IllegalArgumentException if {@code epoch} is lower than the current one
   */
  void fence(long epoch);

  /** A reader that delivers the records from {@code fromSequence} on, as they appear. */
  JournalReader reader(long fromSequence);

  /**
   * Closes the journal; appended records stay durable per the flush policy (OS: on process exit).
   */
  @Override
  void close();
}
