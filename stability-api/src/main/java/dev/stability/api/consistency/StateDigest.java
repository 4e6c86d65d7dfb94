package dev.stability.api.consistency;

import java.util.List;

/**
 * An order-independent digest over keyed records, updated in O(1) on every mutation of the state it
 * describes (R10): two implementations that store their state differently but hold the same records
 * have equal digests. The key space is split into buckets, each with its own digest, so that a
 * mismatch narrows to the differing buckets without scanning the state.
 *
 * <p>Not thread-safe: it is updated by the thread that mutates the state (the state machine), and
 * read by it at checkpoints. A mutation allocates nothing.
 */
public interface StateDigest {

  /** Adds a record that was not in the state. */
  <R> void add(RecordEncoder<R> encoder, R record);

  /** Removes a record that was in the state, exactly as it was added. */
  <R> void remove(RecordEncoder<R> encoder, R record);

  /** Replaces a record by its new version (same key): the same as remove then add. */
  <R> void replace(RecordEncoder<R> encoder, R before, R after);

  /** The digest of every record. */
  DigestValue value();

  /** How many buckets the key space is split into. */
  int bucketCount();

  /** The digest of the records whose key falls in {@code bucket}. */
  DigestValue bucket(int bucket);

  /** Every bucket's digest, by bucket index. */
  List<DigestValue> buckets();

  /** The bucket a record's key falls in (the same in every implementation for the same key). */
  <R> int bucketOf(RecordEncoder<R> encoder, R record);

  /** Forgets every record (before restoring state from a snapshot). */
  void clear();
}
