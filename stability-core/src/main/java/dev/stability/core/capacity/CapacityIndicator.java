package dev.stability.core.capacity;

/**
 * One key business indicator (orders, trades, market-data messages, bandwidth) of the capacity
 * monitor (R1). A bandwidth indicator is fed with the application's own byte counts: {@code
 * bandwidth.record(bytes)} for every message sent or received, so its rates, peaks and capacity are
 * in bytes per second. Hold on to it and call {@link #record()} for each unit of work: that call
 * takes no lock and allocates nothing (one striped add), so it belongs on the order path. Rates and
 * peaks are computed off the caller's thread, once a second. Thread-safe.
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

  /**
   * The highest one-second rate of the current trading day ({@link Capacity#tradingDay()}),
   * measured or declared for it; survives a restart through the store.
   */
  double peakToday();

  /**
   * The highest one-second rate over the peak window ({@code CapacitySettings.peakWindow()}, 12
   * months by default): the largest of the per-trading-day peaks of the days in the window, today
   * included. A day's peak ages out once the day leaves the window. Persisted per day.
   */
  double historicalPeak();

  /** The rate the last pressure test sustained; 0 if none is recorded. Persisted. */
  double testedCapacity();

  /**
   * The capacity set in configuration for an indicator that is not pressure tested (a link's
   * bandwidth, {@code CapacitySettings.provisionedCapacity}); 0 if none.
   */
  double provisionedCapacity();

  /**
   * The capacity headroom is measured against: {@link #testedCapacity()} if a pressure test
   * recorded one, else {@link #provisionedCapacity()}, else 0.
   */
  double capacity();

  /** Which capacity {@link #capacity()} is. */
  CapacityBasis capacityBasis();

  /** The multiple of the historical peak {@link #capacity()} must reach (own or the default). */
  double requiredMultiple();

  /**
   * {@link #capacity()} / historical peak; {@code NaN} while no historical peak is known. R1
   * requires at least {@link #requiredMultiple()}.
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
   * Raises the peak of the current trading day to a figure known from elsewhere; never lowers it.
   * It counts in the historical peak until the day leaves the window. Persisted. To seed a peak of
   * an earlier day (last year's record day), use {@link #raiseHistoricalPeak(double,
   * java.time.LocalDate)}.
   *
   * @throws IllegalArgumentException if {@code unitsPerSecond} is negative or not finite
   */
  void raiseHistoricalPeak(double unitsPerSecond);

  /**
   * Raises the peak of trading day {@code day} to a figure known from before the SDK measured it;
   * never lowers it. A day already outside the peak window is ignored (it would never count).
   * Persisted.
   *
   * @throws IllegalArgumentException if {@code unitsPerSecond} is negative or not finite, or {@code
   *     day} is null or after the current trading day
   */
  void raiseHistoricalPeak(double unitsPerSecond, java.time.LocalDate day);
}
