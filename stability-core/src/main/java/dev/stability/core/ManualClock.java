package dev.stability.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when told to, for tests and simulations: give it to {@code
 * StabilityRuntime.Builder.clock} and every time-based decision of the SDK (timestamps, breaker
 * waits, retry backoff, shedding windows) follows it; sleeps of the SDK advance it instead of
 * blocking. Thread-safe. Like Micrometer's {@code MockClock}, it lives in the main artifact so any
 * test can use it.
 */
public final class ManualClock extends Clock {

  private final AtomicLong nanos;
  private final ZoneId zone;

  private ManualClock(long epochNanos, ZoneId zone) {
    this.nanos = new AtomicLong(epochNanos);
    this.zone = zone;
  }

  /** A clock standing at {@code start} in {@code zone}. */
  public static ManualClock at(Instant start, ZoneId zone) {
    return new ManualClock(start.getEpochSecond() * 1_000_000_000L + start.getNano(), zone);
  }

  /** Moves the clock forward. */
  public void advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("a clock only moves forward, got " + by);
    }
    nanos.addAndGet(by.toNanos());
  }

  /** Nanoseconds since the epoch; also the SDK's monotonic time source under this clock. */
  public long nanoTime() {
    return nanos.get();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId newZone) {
    return new ManualClock(nanos.get(), newZone);
  }

  @Override
  public Instant instant() {
    long now = nanos.get();
    return Instant.ofEpochSecond(
        Math.floorDiv(now, 1_000_000_000L), Math.floorMod(now, 1_000_000_000L));
  }

  @Override
  public long millis() {
    return Math.floorDiv(nanos.get(), 1_000_000L);
  }

  @Override
  public String toString() {
    return "ManualClock[" + instant() + ", " + zone + "]";
  }
}
