package dev.stability.core.journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * A journal record as the file journal stores it: its <em>frame</em>. A replication transport
 * carries frames unchanged ({@link JournalFrameReader#pollFrames}, {@link
 * ReplicaJournal#appendFrame}), so the checksum the primary's journal computed is the one the
 * standby's journal checks and keeps: it is computed once per record, not once per hop.
 *
 * <pre>
 * little-endian, 8-byte aligned
 *   int   length    = 32 + payload length (the frame is length rounded up to 8 bytes)
 *   int   crc32c    over length, then bytes 8 to the end of the frame (padding included)
 *   long  sequence
 *   long  epoch
 *   long  timestamp (microseconds since the epoch)
 *   byte[] payload, then zero padding to 8
 * </pre>
 */
public final class JournalFrames {

  /** Offset of the length field. */
  public static final int LENGTH = 0;

  /** Offset of the CRC32C. */
  public static final int CRC = 4;

  /** Offset of the sequence. */
  public static final int SEQUENCE = 8;

  /** Offset of the epoch. */
  public static final int EPOCH = 16;

  /** Offset of the timestamp. */
  public static final int TIMESTAMP = 24;

  /** Size of the header before the payload (and the payload's offset). */
  public static final int HEADER = 32;

  private static final byte[] PADDING = new byte[8];

  private JournalFrames() {}

  /** The size of a frame whose length field is {@code length}: rounded up to 8 bytes. */
  public static int size(int length) {
    return (length + 7) & ~7;
  }

  /**
   * The CRC32C of the frame at {@code index} of {@code buffer} whose length field is {@code
   * length}: what its CRC field must hold. Reads bytes {@code index + 8} to the end of the frame;
   * changes neither the buffer's position nor its limit.
   */
  public static int checksum(CRC32C crc, ByteBuffer buffer, int index, int length) {
    crc.reset();
    crc.update(length);
    crc.update(length >>> 8);
    crc.update(length >>> 16);
    crc.update(length >>> 24);
    crc.update(buffer.duplicate().clear().position(index + SEQUENCE).limit(index + size(length)));
    return (int) crc.getValue();
  }

  /**
   * The CRC32C the frame of this record carries: what identifies a record across two journals
   * (sequence, epoch, timestamp, length and bytes).
   */
  public static int checksum(
      CRC32C crc, long sequence, long epoch, long timestampMicros, ByteBuffer payload) {
    int length = HEADER + payload.remaining();
    ByteBuffer header = ByteBuffer.allocate(HEADER - SEQUENCE).order(ByteOrder.LITTLE_ENDIAN);
    header.putLong(sequence).putLong(epoch).putLong(timestampMicros);
    crc.reset();
    crc.update(length);
    crc.update(length >>> 8);
    crc.update(length >>> 16);
    crc.update(length >>> 24);
    crc.update(header.array());
    crc.update(payload.duplicate());
    crc.update(PADDING, 0, size(length) - length);
    return (int) crc.getValue();
  }

  /**
   * Writes the frame of a record into {@code target} from its position, advancing it: for a journal
   * that keeps its records otherwise (a reader that is no {@link JournalFrameReader}).
   *
   * @throws java.nio.BufferOverflowException if the frame does not fit in what remains
   */
  public static void write(
      CRC32C crc,
      ByteBuffer target,
      long sequence,
      long epoch,
      long timestampMicros,
      ByteBuffer payload) {
    int length = HEADER + payload.remaining();
    int at = target.position();
    ByteBuffer out = target.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(length)
        .putInt(checksum(crc, sequence, epoch, timestampMicros, payload))
        .putLong(sequence)
        .putLong(epoch)
        .putLong(timestampMicros)
        .put(payload.duplicate())
        .put(PADDING, 0, size(length) - length);
    target.position(at + size(length));
  }
}
