package dev.stability.core.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stability.core.ManualClock;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import dev.stability.core.health.HealthSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.util.List;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Laws of the rolling peak window for any sequence of daily peaks: the historical peak is the
 * brute-force maximum of the peaks of the days inside the window, so a peak older than the window
 * never counts.
 */
class CapacityWindowProperties {

  private static final Instant START = Instant.parse("2026-01-05T02:00:00Z"); // 10:00 Shanghai

  @Property(tries = 150)
  void theHistoricalPeakIsTheMaximumOverTheDaysOfTheWindow(
      @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 1, max = 9) Integer> gapsInDays,
      @ForAll @Size(min = 40, max = 40) List<@IntRange(min = 0, max = 100_000) Integer> peaks,
      @ForAll @IntRange(min = 1, max = 60) int windowDays) {
    ManualClock clock = ManualClock.at(START, ZoneId.of("Asia/Shanghai"));
    Period window = Period.ofDays(windowDays);
    try (StabilityRuntime runtime =
        TestRuntimes.quiet("a1")
            .clock(clock)
            .health(HealthSettings.builder().builtInChecks(false).build())
            .capacity(CapacitySettings.builder().indicators("orders").peakWindow(window).build())
            .build()) {
      Capacity capacity = runtime.capacity();
      CapacityIndicator orders = capacity.indicator("orders");
      TreeMap<LocalDate, Integer> measured = new TreeMap<>();
      for (int i = 0; i < gapsInDays.size(); i++) {
        int units = peaks.get(i);
        orders.record(units);
        clock.advance(Duration.ofSeconds(1));
        capacity.sample();
        measured.merge(capacity.tradingDay(), units, Math::max);

        assertThat(orders.historicalPeak()).isEqualTo(bruteForceMax(measured, capacity, window));
        assertThat(orders.peakToday()).isEqualTo((double) measured.get(capacity.tradingDay()));

        clock.advance(Duration.ofDays(gapsInDays.get(i)).minusSeconds(1));
        capacity.sample(); // a new day: old days leave the window, nothing measured yet
        assertThat(orders.historicalPeak()).isEqualTo(bruteForceMax(measured, capacity, window));
        assertThat(orders.peakToday()).isZero();
      }
    }
  }

  private static double bruteForceMax(
      TreeMap<LocalDate, Integer> measured, Capacity capacity, Period window) {
    LocalDate today = capacity.tradingDay();
    int max = 0;
    for (var day : measured.entrySet()) {
      if (day.getKey().isAfter(today.minus(window)) && !day.getKey().isAfter(today)) {
        max = Math.max(max, day.getValue());
      }
    }
    return max;
  }

  @Property(tries = 60)
  void aPeakOlderThanTheWindowNeverCounts(
      @ForAll @IntRange(min = 1, max = 400) int windowDays,
      @ForAll @IntRange(min = 0, max = 30) int daysBeyond,
      @ForAll @IntRange(min = 1, max = 1_000_000) int peak) {
    ManualClock clock = ManualClock.at(START, ZoneId.of("Asia/Shanghai"));
    try (StabilityRuntime runtime =
        TestRuntimes.quiet("a1")
            .clock(clock)
            .health(HealthSettings.builder().builtInChecks(false).build())
            .capacity(
                CapacitySettings.builder()
                    .indicators("orders")
                    .peakWindow(Period.ofDays(windowDays))
                    .build())
            .build()) {
      Capacity capacity = runtime.capacity();
      CapacityIndicator orders = capacity.indicator("orders");
      orders.record(peak);
      clock.advance(Duration.ofSeconds(1));
      capacity.sample();
      assertThat(orders.historicalPeak()).isEqualTo((double) peak);

      clock.advance(Duration.ofDays(windowDays - 1L)); // the last day the peak is in the window
      capacity.sample();
      assertThat(orders.historicalPeak()).isEqualTo((double) peak);

      clock.advance(Duration.ofDays(1L + daysBeyond));
      capacity.sample();
      orders.record(1);
      clock.advance(Duration.ofSeconds(1));
      capacity.sample();
      assertThat(orders.historicalPeak())
          .as("the peak is %d days old", windowDays + daysBeyond)
          .isEqualTo(1.0);
    }
  }
}
