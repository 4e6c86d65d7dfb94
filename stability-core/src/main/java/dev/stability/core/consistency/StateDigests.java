package dev.stability.core.consistency;

import dev.stability.api.consistency.StateDigest;

/**
 * Makes the SDK's {@link StateDigest} (R10). Per record, the canonical form written by its {@code
 * RecordEncoder} is hashed with MurmurHash3 x64 128 (Appleby; passes SMHasher); the digest is the
 * sum, modulo 2^64 in each 64-bit half, of the record hashes (an additive multiset hash), kept in
 * total and per bucket. Sums do not depend on order, and add, remove and replace are O(1): one hash
 * of the record and a few additions, no allocation.
 *
 * <p>Collisions: treating record hashes as random 128-bit values, two different states have equal
 * digests with probability about 2^-128 (3·10^-39) per comparison, whatever their size; for 10^9
 * records the chance that any two distinct records share a hash at all is about n^2/2^129,
 * 1.5·10^-21. This detects divergence between honest implementations; it is not a cryptographic
 * commitment (someone choosing records on purpose can build collisions).
 *
 * <p>Cost per mutation ({@code BENCHMARKS.md}): about 16 ns and no allocation for a record of six
 * numeric fields written by a constant encoder; a {@link HashedString} field about 1 ns more than a
 * number; a {@code String} field 5 to 9 ns more (a lookup in the digest's cache of recent strings),
 * and a hash of its characters when it is not there (a book of thousands of string keys: about 60
 * ns a record; the cache grows with the state, from 256 slots to at most 16,384, about 640 KB).
 */
public final class StateDigests {

  private StateDigests() {}

  /**
   * A digest whose key space is split into {@code buckets} buckets: more buckets narrow a mismatch
   * further and cost 24 bytes each.
   *
   * @throws IllegalArgumentException unless {@code 1 <= buckets <= 1048576}
   */
  public static StateDigest create(int buckets) {
    return new BucketedDigest(buckets);
  }
}
