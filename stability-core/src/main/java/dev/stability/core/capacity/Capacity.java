package dev.stability.core.capacity;

import java.util.Collection;

/**
 * The runtime's capacity monitor, reached through {@code runtime.capacity()} (R1): per-second
 * rates, today's peak, the historical peak over a rolling window (kept per trading day in the
 * store), the tested or provisioned capacity of each declared key indicator, and the headroom
 * between them. Publishes {@code stability.capacity.*} gauges, a {@code CAPACITY_HEADROOM_LOW}
 * event when headroom falls below the indicator's required multiple and {@code
 * CAPACITY_HEADROOM_RESTORED} when it is back, and {@code CAPACITY_PEAK_EXCEEDED} on a new
 * historical peak (at most one a minute per indicator). Thread-safe.
 */
public interface Capacity {

  /**
   * The declared indicator of that name.
   *
   * @throws IllegalArgumentException naming the unknown indicator and the declared ones
   */
  CapacityIndicator indicator(String name);

  /** Every declared indicator, in declaration order. */
  Collection<CapacityIndicator> all();

  /**
   * The default multiple of the historical peak that capacity must reach; an indicator may have its
   * own ({@link CapacityIndicator#requiredMultiple()}).
   */
  double requiredHeadroom();

  /**
   * The current trading day: with a trading calendar, {@code TradingCalendar.tradingDayAt(now)}
   * (night sessions belong to the next trading day); without one, today's date on the runtime's
   * clock. Today's peak and the peak window are counted in these days.
   */
  java.time.LocalDate tradingDay();

  /** How far back the historical peak looks (12 months by default). */
  java.time.Period peakWindow();

  /**
   * Takes a sample now: for each indicator whose last sample is at least one second old (on the
   * runtime's clock), computes the rate since then and updates the peaks. The runtime calls this
   * every second on its timer thread; with a {@code ManualClock} the runtime does not, and a test
   * calls it after moving the clock.
   */
  void sample();
}
