package dev.stability.core.guard.internal;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The latency of a guard's calls over the last minute, by percentile: a log-linear histogram of
 * nanoseconds (16 buckets per power of two, so a reported value is at most 1/16 above the true one
 * and never below it, up to 2^42 ns, about 73 minutes, which the last bucket holds with everything
 * longer; exact under 16 ns). Recording is one atomic increment of one bucket: no lock, no
 * allocation. The window moves in steps: {@link #rotate()}, every {@link #STEP_SECONDS} seconds on
 * the guard's timer (wall time), keeps a copy of the counts, and the percentiles are read over the
 * counts since the copy {@link #STEPS} whole steps before the current one (so over the last 60 to
 * 70 seconds; everything since the start until then). Reads and rotations synchronize on this
 * object; recording never does. Internal.
 */
final class LatencyWindow {

  static final int SUB_BITS = 4;
  static final int SUB = 1 << SUB_BITS;
  static final int MAX_BITS = 42;
  static final int BUCKETS = (MAX_BITS - SUB_BITS + 1) * SUB;

  /** Seconds between two rotations. */
  static final long STEP_SECONDS = 10;

  /** Whole steps a window spans besides the current one. */
  static final int STEPS = 6;

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
  private final long[][] copies = new long[STEPS + 1][];
  private final double[] percentiles;
  private int rotations;

  /** A window that answers for {@code percentiles} (each 0..1), the ones its gauges read. */
  LatencyWindow(double... percentiles) {
    this.percentiles = percentiles.clone();
  }

  /** Records one call's latency in nanoseconds (negative values count as 0). */
  void record(long nanos) {
    counts.getAndIncrement(index(nanos));
  }

  static int index(long nanos) {
    if (nanos < SUB) {
      return (int) Math.max(0, nanos);
    }
    int bits = 63 - Long.numberOfLeadingZeros(nanos);
    if (bits >= MAX_BITS) {
      return BUCKETS - 1;
    }
    int sub = (int) (nanos >>> (bits - SUB_BITS)) & (SUB - 1);
    return (bits - SUB_BITS + 1) * SUB + sub;
  }

  /** The highest value that falls into bucket {@code index}. */
  static long highest(int index) {
    if (index < SUB) {
      return index;
    }
    int bits = index / SUB + SUB_BITS - 1;
    long lower = (long) (SUB + index % SUB) << (bits - SUB_BITS);
    return lower + (1L << (bits - SUB_BITS)) - 1;
  }

  /** Moves the window one step on. */
  synchronized void rotate() {
    int slot = rotations % copies.length;
    long[] copy = copies[slot];
    if (copy == null) {
      copy = new long[BUCKETS];
      copies[slot] = copy;
    }
    for (int i = 0; i < BUCKETS; i++) {
      copy[i] = counts.get(i);
    }
    rotations++;
  }

  /**
   * The {@code percentile} (one of those given at construction) of the window's latencies in
   * seconds, the highest value of the bucket it falls in; NaN when the window holds no call.
   */
  synchronized double percentileSeconds(double percentile) {
    if (Arrays.stream(percentiles).noneMatch(p -> p == percentile)) {
      throw new IllegalArgumentException("not a percentile of this window: " + percentile);
    }
    long[] base = rotations >= copies.length ? copies[rotations % copies.length] : null;
    long[] window = new long[BUCKETS];
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      window[i] = counts.get(i) - (base == null ? 0 : base[i]);
      total += window[i];
    }
    return total == 0 ? Double.NaN : at(window, total, percentile);
  }

  private static double at(long[] window, long total, double percentile) {
    long rank = Math.max(1, (long) Math.ceil(percentile * total));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += window[i];
      if (seen >= rank) {
        return highest(i) / 1e9;
      }
    }
    return highest(BUCKETS - 1) / 1e9; // not reached: the ranks add up to total
  }
}
