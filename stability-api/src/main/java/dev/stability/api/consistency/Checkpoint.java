package dev.stability.api.consistency;

import java.util.List;
import java.util.Objects;

/**
 * What one side (primary or standby) publishes at a checkpoint (R10): the journal sequence its
 * state reflects, the epoch, and its digest in total and per bucket. Immutable.
 *
 * @param source who published it, e.g. the instance id
 * @param sequence the last journal sequence applied to the state
 * @param epoch the replication epoch
 * @param digest the digest of the whole state
 * @param buckets the digest of each bucket, by index
 */
public record Checkpoint(
    String source, long sequence, long epoch, DigestValue digest, List<DigestValue> buckets) {

  /** Validates and copies. */
  public Checkpoint {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(digest, "digest");
    buckets = List.copyOf(buckets);
    if (sequence < 0) {
      throw new IllegalArgumentException("checkpoint sequence must be >= 0, got " + sequence);
    }
  }

  /** A checkpoint of {@code digest} as it is now. */
  public static Checkpoint of(String source, long sequence, long epoch, StateDigest digest) {
    return new Checkpoint(source, sequence, epoch, digest.value(), digest.buckets());
  }
}
