package dev.stability.aeron;

import dev.stability.api.consistency.CanonicalWriter;
import dev.stability.api.consistency.RecordEncoder;
import dev.stability.api.consistency.StateDigest;
import dev.stability.api.standby.StateMachine;
import dev.stability.core.consistency.StateDigests;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A test state machine: one record per applied sequence (its payload's hash), digested; a sequence
 * can be set at which it stores a wrong value, as a faulty standby would.
 */
public final class DigestBook implements StateMachine {

  private record Entry(long sequence, int payloadHash) {}

  private static final RecordEncoder<Entry> ENTRY =
      new RecordEncoder<>() {
        @Override
        public String type() {
          return "entry";
        }

        @Override
        public void encodeKey(Entry entry, CanonicalWriter out) {
          out.putLong("sequence", entry.sequence());
        }

        @Override
        public void encodeValue(Entry entry, CanonicalWriter out) {
          out.putLong("payload_hash", entry.payloadHash());
        }
      };

  // 128 buckets: a checkpoint of about 3 KB, more than one datagram, so it travels in fragments
  private final StateDigest digest = StateDigests.create(128);
  private long count;

  /** A sequence whose value is stored wrong, or -1. */
  public volatile long corruptAt = -1;

  @Override
  public synchronized void apply(long sequence, long epoch, ByteBuffer payload) {
    byte[] bytes = new byte[payload.remaining()];
    payload.duplicate().get(bytes);
    int hash = Arrays.hashCode(bytes) + (sequence == corruptAt ? 1 : 0);
    digest.add(ENTRY, new Entry(sequence, hash));
    count++;
  }

  /** Records applied. */
  public synchronized long count() {
    return count;
  }

  @Override
  public byte[] snapshot() {
    throw new UnsupportedOperationException("not used: followers here rebuild from the start");
  }

  @Override
  public void restore(byte[] snapshot) {
    throw new UnsupportedOperationException("not used");
  }

  @Override
  public StateDigest digest() {
    return digest;
  }
}
