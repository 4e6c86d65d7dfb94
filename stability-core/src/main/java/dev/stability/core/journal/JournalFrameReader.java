package dev.stability.core.journal;

import dev.stability.api.journal.JournalReader;

/**
 * A {@link JournalReader} that also hands out records as the bytes the journal stores them in
 * ({@link JournalFrames}): what a replication transport sends, so that it neither re-encodes a
 * record nor computes its checksum again. The file journal's readers are frame readers. Not
 * thread-safe, like every reader.
 */
public interface JournalFrameReader extends JournalReader {

  /**
   * Copies the frames of the records available now into {@code target} from its position, advancing
   * it, while its position is below {@code until} and the next frame fits in what remains; each
   * record is checked as {@link #poll} checks it.
   *
   * @return how many frames were copied (0 when the reader is at the end, or the next frame does
   *     not fit: see {@link #nextFrameSize()})
   * @throws dev.stability.api.journal.JournalCorruptedException naming where the bad record is
   */
  int pollFrames(java.nio.ByteBuffer target, int until);

  /**
   * The size of the next record's frame, or 0 if no record is available now.
   *
   * @throws dev.stability.api.journal.JournalCorruptedException naming where the bad record is
   */
  int nextFrameSize();
}
