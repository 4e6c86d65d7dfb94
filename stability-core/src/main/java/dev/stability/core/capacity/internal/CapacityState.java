package dev.stability.core.capacity.internal;

import java.util.List;

/**
 * One indicator's carried state, as a warm standby receives it from the primary. Internal.
 *
 * @param name the indicator's name
 * @param historicalPeak the highest one-second rate over the primary's peak window
 * @param peakAt when that peak was reached (ISO instant), or null
 * @param tested the rate the last pressure test sustained, 0 if none
 * @param testedAt when it was recorded (ISO instant), or null
 * @param testedSource what recorded it, or null
 * @param peakToday the highest rate of {@code day}
 * @param day the primary's current trading day (ISO date)
 * @param days the per-trading-day peaks in the primary's window, ascending; empty from a primary
 *     that does not send them (then {@code historicalPeak} is taken as the peak of the day of
 *     {@code peakAt})
 * @param provisioned the capacity provisioned on the primary, 0 if none (reported, not applied: the
 *     standby's own configuration describes its own links)
 */
public record CapacityState(
    String name,
    double historicalPeak,
    String peakAt,
    double tested,
    String testedAt,
    String testedSource,
    double peakToday,
    String day,
    List<DayPeak> days,
    double provisioned) {

  /** Copies the days. */
  public CapacityState {
    days = days == null ? List.of() : List.copyOf(days);
  }

  /** The state without per-day peaks or provisioned capacity (an older primary's). */
  public CapacityState(
      String name,
      double historicalPeak,
      String peakAt,
      double tested,
      String testedAt,
      String testedSource,
      double peakToday,
      String day) {
    this(
        name, historicalPeak, peakAt, tested, testedAt, testedSource, peakToday, day, List.of(), 0);
  }

  /**
   * One trading day's peak.
   *
   * @param day the trading day (ISO date)
   * @param peak its highest one-second rate
   * @param at when it was reached (ISO instant), or null
   */
  public record DayPeak(String day, double peak, String at) {}
}
