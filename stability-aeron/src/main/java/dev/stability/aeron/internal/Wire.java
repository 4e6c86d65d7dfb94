package dev.stability.aeron.internal;

import java.util.zip.CRC32C;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The replication messages, little-endian, one per Aeron message. Internal.
 *
 * <pre>
 * RECORD    (primary to standby) type=1, crc32c, sequence, epoch, timestamp_us, length, payload
 *           offsets                 0     4       8         16     24            32      36
 *           the CRC32C covers bytes 8 to the end (header fields and payload); one Aeron message
 *           carries one or more RECORD frames back to back (as many as fill about one datagram)
 * HEARTBEAT (primary to standby) type=2, 0, last_sequence, epoch, publisher_id
 * RESEND    (standby to primary) type=3, 0, standby_id, from_sequence
 * ACK       (standby to primary) type=4, 0, standby_id, received_sequence, durable_sequence
 * </pre>
 */
public final class Wire {

  public static final int RECORD = 1;
  public static final int HEARTBEAT = 2;
  public static final int RESEND = 3;
  public static final int ACK = 4;

  public static final int TYPE = 0;
  public static final int CRC = 4;
  public static final int SEQUENCE = 8;
  public static final int EPOCH = 16;
  public static final int TIMESTAMP = 24;
  public static final int LENGTH = 32;
  public static final int PAYLOAD = 36;

  /** Size of HEARTBEAT, RESEND and ACK. */
  public static final int CONTROL_LENGTH = 32;

  private Wire() {}

  /** The CRC32C of a RECORD's bytes after the CRC field: the header fields and the payload. */
  public static int crc(CRC32C crc, byte[] message, int length) {
    return crc(crc, message, 0, length);
  }

  /** The CRC32C of the RECORD frame at {@code offset}, {@code length} bytes long. */
  public static int crc(CRC32C crc, byte[] bytes, int offset, int length) {
    crc.reset();
    crc.update(bytes, offset + SEQUENCE, length - SEQUENCE);
    return (int) crc.getValue();
  }

  /** Writes a control message of three longs after the type. */
  public static int control(MutableDirectBuffer buffer, int type, long a, long b, long c) {
    buffer.putInt(TYPE, type);
    buffer.putInt(4, 0);
    buffer.putLong(8, a);
    buffer.putLong(16, b);
    buffer.putLong(24, c);
    return CONTROL_LENGTH;
  }

  /** The message's type. */
  public static int type(DirectBuffer buffer, int offset) {
    return buffer.getInt(offset + TYPE);
  }
}
