package dev.stability.core.guard.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Lets through at most one event per interval for a storm of similar happenings (rejections,
 * deadline misses) and counts what it held back, so one log line says "1234 calls refused in the
 * last second" instead of 1234 lines. Lock-free; the counting path allocates nothing.
 */
final class EventThrottle {

  private final long intervalNanos;
  private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
  private final LongAdder suppressed = new LongAdder();

  EventThrottle(long intervalNanos) {
    this.intervalNanos = intervalNanos;
  }

  /**
   * Counts one happening at time {@code now}.
   *
   * @return how many happened since the last event (including this one) when an event should be
   *     emitted now, or 0 when it is held back
   */
  long tryEmit(long now) {
    long next = nextAllowed.get();
    if (now < next || !nextAllowed.compareAndSet(next, now + intervalNanos)) {
      suppressed.increment();
      return 0;
    }
    return suppressed.sumThenReset() + 1;
  }
}
