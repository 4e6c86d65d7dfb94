package dev.stability.core.consistency.internal;

/**
 * A digest that can copy its sums into an array the caller owns, so that a checkpoint can be
 * captured on the order path without allocating. Internal: the SDK's digest implements it.
 */
public interface DigestSums {

  /** How many buckets. */
  int bucketCount();

  /**
   * Copies {@code count, high, low} of the whole digest and then of each bucket by index into
   * {@code into}, which holds at least {@code 3 * (bucketCount() + 1)} values.
   */
  void copySums(long[] into);
}
