package dev.stability.core.journal;

import dev.stability.api.journal.Journal;
import java.nio.ByteBuffer;

/**
 * A journal that can also hold a copy of another journal's records exactly as they were written:
 * the standby's own journal, which a replication transport fills record by record so that after a
 * promotion the new primary owns a complete journal and continues it at the next sequence (R9).
 * Records appended with {@link #appendReplica} keep the primary's sequence, epoch and timestamp;
 * the file is then equal, record by record, to the primary's.
 */
public interface ReplicaJournal extends Journal {

  /**
   * Appends a copy of the primary's record {@code sequence}.
   *
   * @param sequence the record's sequence in the primary's journal; must be {@link #lastSequence()}
   *     + 1
   * @param epoch the epoch of the primary that wrote it
   * @param timestampMicros the primary's timestamp of the record
   * @param payload the record's bytes, from position to limit (not consumed)
   * @throws IllegalStateException if {@code sequence} is not the next one (a gap or a duplicate:
   *     nothing is written)
   * @throws dev.stability.api.journal.EpochFencedException if {@code epoch} is lower than {@link
   *     #epoch()}: a record from a primary that was replaced
   */
  void appendReplica(long sequence, long epoch, long timestampMicros, ByteBuffer payload);

  /**
   * Appends a copy of the primary's record given as the frame its journal stored it in ({@link
   * JournalFrames}, as a {@link JournalFrameReader} hands it out): the frame is copied unchanged
   * and its CRC32C is checked once, on the copy, before the record becomes visible; it is not
   * computed again. The sequence, epoch and timestamp are the frame's.
   *
   * @param frame the frame, from the buffer's position on (not consumed; any byte order)
   * @throws IllegalArgumentException if the frame is malformed (a length out of range, fewer bytes
   *     than its length says) or its checksum does not match: nothing is written
   * @throws IllegalStateException if its sequence is not the next one (a gap or a duplicate:
   *     nothing is written)
   * @throws dev.stability.api.journal.EpochFencedException if its epoch is lower than {@link
   *     #epoch()}: a record from a primary that was replaced
   */
  void appendFrame(ByteBuffer frame);
}
