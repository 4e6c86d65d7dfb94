package dev.stability.api.journal;

import dev.stability.api.StabilityException;

/**
 * A journal record failed its checks (checksum, sequence, length): nothing at or after it is read
 * as data (R9). The message names the file, the offset and what was wrong.
 */
public final class JournalCorruptedException extends StabilityException {
  private static final long serialVersionUID = 1L;

  private final String segment;
  private final long offset;

  /** Creates the exception. */
  public JournalCorruptedException(String segment, long offset, String problem) {
    super("journal segment " + segment + " at offset " + offset + ": " + problem);
    this.segment = segment;
    this.offset = offset;
  }

  /** The segment file. */
  public String segment() {
    return segment;
  }

  /** The byte offset of the bad record in it. */
  public long offset() {
    return offset;
  }
}
