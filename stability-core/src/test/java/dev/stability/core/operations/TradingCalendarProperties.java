package dev.stability.core.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/** Laws of the calendar for any instant of two years, with a night session and holidays. */
class TradingCalendarProperties {

  private static final long FROM = 1_767_225_600L; // 2026-01-01T00:00:00Z
  private static final long TO = 1_830_211_200L; // 2027-12-31T00:00:00Z

  private final TradingCalendar futures =
      TradingCalendar.builder()
          .session("opening-call", "08:55", "09:00")
          .session("morning", "09:00", "11:30")
          .session("afternoon", "13:30", "15:00")
          .session("night", "21:00", "02:30")
          .holiday(LocalDate.parse("2026-10-01"), "National Day")
          .holiday(LocalDate.parse("2026-10-02"), "National Day")
          .holiday(LocalDate.parse("2027-02-08"), "Spring Festival")
          .build();

  @Property(tries = 2000)
  void aSessionFoundContainsTheInstantAndBelongsToATradingDay(
      @ForAll @LongRange(min = FROM, max = TO) long second) {
    Instant t = Instant.ofEpochSecond(second);
    Optional<TradingCalendar.SessionWindow> session = futures.sessionAt(t);
    session.ifPresent(
        w -> {
          assertThat(w.start().toInstant()).isBeforeOrEqualTo(t);
          assertThat(w.end().toInstant()).isAfter(t);
          assertThat(futures.isTradingDay(w.tradingDay())).isTrue();
        });
  }

  @Property(tries = 1000)
  void nothingOpensBetweenAnInstantAndTheNextOpen(
      @ForAll @LongRange(min = FROM, max = TO) long second,
      @ForAll @LongRange(min = 0, max = 1000) long permille) {
    Instant t = Instant.ofEpochSecond(second);
    TradingCalendar.SessionWindow next = futures.nextOpen(t);
    assertThat(next.start().toInstant()).isAfter(t);
    assertThat(futures.sessionAt(next.start().toInstant())).contains(next);
    if (!futures.inSession(t)) {
      // A point between t and the next open is not in a session either: no window was skipped.
      long gap = next.start().toInstant().getEpochSecond() - second;
      Instant between = Instant.ofEpochSecond(second + gap * permille / 1001);
      assertThat(futures.inSession(between)).as("in session at %s", between).isFalse();
    }
  }

  @Property(tries = 1000)
  void theTradingDayIsATradingDayAndNeverGoesBackInTime(
      @ForAll @LongRange(min = FROM, max = TO) long second,
      @ForAll @LongRange(min = 1, max = 4 * 86_400) long later) {
    Instant t = Instant.ofEpochSecond(second);
    LocalDate day = futures.tradingDayAt(t);
    assertThat(futures.isTradingDay(day)).isTrue();
    assertThat(futures.tradingDayAt(t.plusSeconds(later))).isAfterOrEqualTo(day);
    futures
        .sessionAt(t)
        .ifPresent(
            w ->
                assertThat(day)
                    .isEqualTo(
                        futures.isNightSession(w.session())
                            ? futures.nextTradingDay(w.tradingDay())
                            : w.tradingDay()));
  }
}
