package dev.stability.core.capacity;

/**
 * One key business indicator (orders, trades, market-data messages) of the capacity monitor (R1).
 * Hold on to it and call {@link #record()} for each unit of work: that call takes no lock and
 * allocates nothing (one striped add), so it belongs on the order path. Rates and peaks are
 * computed off the caller's thread, once a second. Thread-safe.
 */
public interface CapacityIndicator {

  /** The indicator's name, as declared. */
  String name();

  /** Records one unit of work. Hot path: no lock, no allocation. */
  void record();

  /**
   * Records {@code units} units of work at once (a batch of messages).
   *
   * @throws IllegalArgumentException if {@code units} is negative
   */
  void record(long units);

  /** Units recorded since the runtime started. */
  long total();

  /** Units per second over the last full second sampled; 0 before the first sample. */
  double rate();

  /** The highest one-second rate of the current day (runtime clock's zone). */
  double peakToday();

  /** The highest one-second rate ever recorded or declared; persisted in the store. */
  double historicalPeak();

  /** The rate the last pressure test sustained; 0 if none is recorded. Persisted. */
  double testedCapacity();

  /**
   * Tested capacity / historical peak; {@code NaN} while no historical peak is known. R1 requires
   * at least {@code CapacitySettings.requiredHeadroom()} (3).
   */
  double headroom();

  /**
   * Records the rate a pressure test sustained (the testkit calls this); persisted, published as a
   * {@code CAPACITY_TESTED} event, and the headroom is re-evaluated.
   *
   * @throws IllegalArgumentException if {@code unitsPerSecond} is not a positive finite number
   */
  void recordTested(double unitsPerSecond, String source);

  /**
   * Raises the historical peak to a figure known from before the SDK measured it (last year's
   * record day); never lowers it. Persisted.
   *
   * @throws IllegalArgumentException if {@code unitsPerSecond} is negative or not finite
   */
  void raiseHistoricalPeak(double unitsPerSecond);
}
