package dev.stability.core.consistency;

import dev.stability.api.consistency.DigestValue;
import dev.stability.api.consistency.RecordEncoder;
import dev.stability.api.consistency.StateDigest;
import dev.stability.core.consistency.internal.DigestSums;
import java.util.List;

/**
 * The SDK's {@link StateDigest}: per record a 128-bit MurmurHash3 of its canonical form, summed
 * (mod 2^64 in each half) over the records, in total and per bucket. A mutation is one hash and six
 * additions; nothing is allocated. Made by {@link StateDigests#create}.
 */
final class BucketedDigest implements StateDigest, DigestSums {

  private final int buckets;

  /** Per bucket, side by side (one cache line per update): count, high, low. */
  private final long[] bucketSums;

  private final HashingWriter writer = new HashingWriter();
  private long count;
  private long high;
  private long low;

  /** A digest with {@code buckets} buckets (1 to 1,048,576). */
  BucketedDigest(int buckets) {
    if (buckets < 1 || buckets > (1 << 20)) {
      throw new IllegalArgumentException(
          "a state digest needs 1 to 1048576 buckets, got " + buckets);
    }
    this.buckets = buckets;
    this.bucketSums = new long[3 * buckets];
  }

  private <R> int hash(RecordEncoder<R> encoder, R record) {
    writer.begin(encoder);
    encoder.encodeKey(record, writer);
    writer.endKey();
    encoder.encodeValue(record, writer);
    writer.finish();
    return bucketFor(writer.keyHash());
  }

  private int bucketFor(long keyHash) {
    return (int) (((keyHash >>> 32) * buckets) >>> 32);
  }

  @Override
  public <R> void add(RecordEncoder<R> encoder, R record) {
    int b = hash(encoder, record);
    long h = writer.high();
    long l = writer.low();
    count++;
    high += h;
    low += l;
    int at = 3 * b;
    bucketSums[at]++;
    bucketSums[at + 1] += h;
    bucketSums[at + 2] += l;
  }

  @Override
  public <R> void remove(RecordEncoder<R> encoder, R record) {
    int b = hash(encoder, record);
    long h = writer.high();
    long l = writer.low();
    count--;
    high -= h;
    low -= l;
    int at = 3 * b;
    bucketSums[at]--;
    bucketSums[at + 1] -= h;
    bucketSums[at + 2] -= l;
  }

  @Override
  public <R> void replace(RecordEncoder<R> encoder, R before, R after) {
    remove(encoder, before);
    add(encoder, after);
  }

  @Override
  public DigestValue value() {
    return new DigestValue(count, high, low);
  }

  @Override
  public int bucketCount() {
    return buckets;
  }

  @Override
  public DigestValue bucket(int bucket) {
    java.util.Objects.checkIndex(bucket, buckets);
    int at = 3 * bucket;
    return new DigestValue(bucketSums[at], bucketSums[at + 1], bucketSums[at + 2]);
  }

  /**
   * Every bucket's digest, in an unmodifiable list ({@link
   * dev.stability.api.consistency.Checkpoint} then keeps it as it is instead of copying it again).
   */
  @Override
  public List<DigestValue> buckets() {
    DigestValue[] all = new DigestValue[buckets];
    for (int b = 0; b < buckets; b++) {
      int at = 3 * b;
      all[b] = new DigestValue(bucketSums[at], bucketSums[at + 1], bucketSums[at + 2]);
    }
    return List.of(all);
  }

  @Override
  public void copySums(long[] into) {
    into[0] = count;
    into[1] = high;
    into[2] = low;
    System.arraycopy(bucketSums, 0, into, 3, bucketSums.length);
  }

  @Override
  public <R> int bucketOf(RecordEncoder<R> encoder, R record) {
    return hash(encoder, record);
  }

  @Override
  public void clear() {
    count = 0;
    high = 0;
    low = 0;
    java.util.Arrays.fill(bucketSums, 0);
  }

  @Override
  public String toString() {
    return "StateDigest[" + value() + ", " + buckets + " buckets]";
  }
}
