package dev.stability.aeron.internal;

import dev.stability.api.consistency.Checkpoint;
import dev.stability.api.consistency.DigestValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The replication messages, little-endian, one per Aeron message. Internal.
 *
 * <pre>
 * RECORD    (primary to standby) type=1, 0, then one or more record frames back to back (as many
 *                                 as fill about one datagram), each exactly as the primary's
 *                                 journal stores it (JournalFrames: length, CRC32C, sequence,
 *                                 epoch, timestamp_us, payload, padding to 8; little-endian): the
 *                                 standby's journal checks that CRC32C on its copy and keeps it
 * HEARTBEAT (primary to standby) type=2, 0, last_sequence, epoch, publisher_id
 * RESEND    (standby to primary) type=3, 0, standby_id, from_sequence, epoch and CRC32C (its
 *                                 frame's) of the standby's record from_sequence - 1,
 *                                 which the primary checks against its own before serving
 * ACK       (standby to primary) type=4, 0, standby_id, received_sequence, durable_sequence,
 *                                 applied_sequence (-1: no follower reports)
 * REPLAY    (primary to standby) type=6, 0, standby_id, from_sequence, until_sequence: the
 *                                 archive replays to that standby (on the replay stream) from a
 *                                 message holding from_sequence; the live stream is ahead of it
 *                                 until the standby passes until_sequence
 * REPLAYED  (standby to primary) type=7, 0, standby_id, received_sequence: the standby took a
 *                                 live record in order again, the replay may stop
 * HANDOVER  (standby to primary) type=8, 0, standby_id, request_id: stop taking input, fence,
 *                                 send everything, say where you stopped (repeated until answered)
 * HANDED_OVER (primary to standby) type=9, 0, standby_id, request_id, last_sequence (-1: refused),
 *                                 epoch, digest count, high, low, then the refusal's reason (UTF-8,
 *                                 to the end)
 * CHECKPOINT (standby to primary) type=5, bucket_count, standby_id, sequence, epoch, count, high,
 *                                 low, then count/high/low per bucket, then the source's name
 *                                 (UTF-8, to the end)
 * </pre>
 */
public final class Wire {

  public static final int RECORD = 1;
  public static final int HEARTBEAT = 2;
  public static final int RESEND = 3;
  public static final int ACK = 4;
  public static final int CHECKPOINT = 5;
  public static final int REPLAY = 6;
  public static final int REPLAYED = 7;
  public static final int HANDOVER = 8;
  public static final int HANDED_OVER = 9;

  /** Size of HANDED_OVER before its reason. */
  public static final int HANDED_OVER_LENGTH = 64;

  public static final int TYPE = 0;

  /** Offset of a RECORD message's first frame. */
  public static final int FRAMES = 8;

  /** Size of HEARTBEAT, RESEND and ACK. */
  public static final int CONTROL_LENGTH = 40;

  private Wire() {}

  /** Writes a control message of three longs after the type. */
  public static int control(MutableDirectBuffer buffer, int type, long a, long b, long c) {
    return control(buffer, type, a, b, c, -1);
  }

  /** Writes a control message of four longs after the type. */
  public static int control(MutableDirectBuffer buffer, int type, long a, long b, long c, long d) {
    buffer.putInt(TYPE, type);
    buffer.putInt(4, 0);
    buffer.putLong(8, a);
    buffer.putLong(16, b);
    buffer.putLong(24, c);
    buffer.putLong(32, d);
    return CONTROL_LENGTH;
  }

  /** Writes a CHECKPOINT into an expandable buffer and returns its length. */
  public static int checkpoint(MutableDirectBuffer buffer, long standbyId, Checkpoint checkpoint) {
    List<DigestValue> buckets = checkpoint.buckets();
    buffer.putInt(TYPE, CHECKPOINT);
    buffer.putInt(4, buckets.size());
    buffer.putLong(8, standbyId);
    buffer.putLong(16, checkpoint.sequence());
    buffer.putLong(24, checkpoint.epoch());
    int at = digest(buffer, 32, checkpoint.digest());
    for (DigestValue bucket : buckets) {
      at = digest(buffer, at, bucket);
    }
    byte[] source = checkpoint.source().getBytes(StandardCharsets.UTF_8);
    buffer.putBytes(at, source);
    return at + source.length;
  }

  private static int digest(MutableDirectBuffer buffer, int at, DigestValue value) {
    buffer.putLong(at, value.count());
    buffer.putLong(at + 8, value.high());
    buffer.putLong(at + 16, value.low());
    return at + 24;
  }

  /**
   * Reads a CHECKPOINT.
   *
   * @throws IllegalArgumentException if the message is shorter than its bucket count says
   */
  public static Checkpoint checkpoint(DirectBuffer buffer, int offset, int length) {
    int buckets = buffer.getInt(offset + 4);
    int names = 32 + 24 + buckets * 24;
    if (buckets < 0 || length < names) {
      throw new IllegalArgumentException(
          "a checkpoint of " + buckets + " buckets in " + length + " bytes");
    }
    List<DigestValue> values = new ArrayList<>(buckets);
    for (int i = 0; i < buckets; i++) {
      values.add(digest(buffer, offset + 56 + i * 24));
    }
    return new Checkpoint(
        buffer.getStringWithoutLengthUtf8(offset + names, length - names),
        buffer.getLong(offset + 16),
        buffer.getLong(offset + 24),
        digest(buffer, offset + 32),
        values);
  }

  private static DigestValue digest(DirectBuffer buffer, int at) {
    return new DigestValue(buffer.getLong(at), buffer.getLong(at + 8), buffer.getLong(at + 16));
  }

  /** The message's type. */
  public static int type(DirectBuffer buffer, int offset) {
    return buffer.getInt(offset + TYPE);
  }
}
