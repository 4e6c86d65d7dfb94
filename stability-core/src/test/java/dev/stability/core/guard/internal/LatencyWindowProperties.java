package dev.stability.core.guard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/** The latency histogram's buckets: a value is reported at most 1/16 above itself, never below. */
class LatencyWindowProperties {

  @Property
  void aValueIsReportedAtOrAboveItselfByLessThanASixteenth(
      @ForAll @LongRange(min = 0, max = (1L << LatencyWindow.MAX_BITS) - 1) long nanos) {
    int index = LatencyWindow.index(nanos);
    long reported = LatencyWindow.highest(index);
    assertThat(index).isBetween(0, LatencyWindow.BUCKETS - 1);
    assertThat(reported).isGreaterThanOrEqualTo(nanos);
    assertThat(reported - nanos).isLessThanOrEqualTo(nanos / LatencyWindow.SUB);
    // the buckets are contiguous: the value just past a bucket's highest starts the next one
    assertThat(LatencyWindow.index(reported)).isEqualTo(index);
    if (index < LatencyWindow.BUCKETS - 1) {
      assertThat(LatencyWindow.index(reported + 1)).isEqualTo(index + 1);
    }
  }

  @Property
  void largerValuesNeverFallInAnEarlierBucket(
      @ForAll @LongRange(min = -5, max = Long.MAX_VALUE / 2) long a,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long more) {
    assertThat(LatencyWindow.index(a + more)).isGreaterThanOrEqualTo(LatencyWindow.index(a));
  }
}
