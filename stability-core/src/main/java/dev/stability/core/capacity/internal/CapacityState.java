package dev.stability.core.capacity.internal;

/**
 * One indicator's carried state, as a warm standby receives it from the primary. Internal.
 *
 * @param name the indicator's name
 * @param historicalPeak the highest one-second rate ever recorded or declared
 * @param peakAt when that peak was reached (ISO instant), or null
 * @param tested the rate the last pressure test sustained, 0 if none
 * @param testedAt when it was recorded (ISO instant), or null
 * @param testedSource what recorded it, or null
 * @param peakToday the highest rate of {@code day}
 * @param day the primary's current day (ISO date)
 */
public record CapacityState(
    String name,
    double historicalPeak,
    String peakAt,
    double tested,
    String testedAt,
    String testedSource,
    double peakToday,
    String day) {}
