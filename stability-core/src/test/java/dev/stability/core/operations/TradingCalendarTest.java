package dev.stability.core.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TradingCalendarTest {

  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  private static Instant at(String localDateTime) {
    return LocalDateTime.parse(localDateTime).atZone(SHANGHAI).toInstant();
  }

  private final TradingCalendar equities =
      TradingCalendar.chinaEquities()
          .holiday(LocalDate.parse("2026-10-01"), "National Day")
          .holiday(LocalDate.parse("2026-10-02"), "National Day")
          .build();

  @Test
  void sessionsAreHalfOpenIntervalsInTheCalendarZone() {
    // 2026-11-30 is a Monday.
    assertThat(equities.inSession(at("2026-11-30T09:14:59"))).isFalse();
    assertThat(equities.sessionAt(at("2026-11-30T09:15:00")).orElseThrow().session().name())
        .isEqualTo("opening-call");
    assertThat(equities.inSession(at("2026-11-30T09:25:00"))).isFalse(); // between call and open
    assertThat(equities.sessionAt(at("2026-11-30T11:29:59")).orElseThrow().session().name())
        .isEqualTo("continuous-morning");
    assertThat(equities.inSession(at("2026-11-30T11:30:00"))).isFalse(); // the break
    assertThat(equities.sessionAt(at("2026-11-30T14:57:00")).orElseThrow().session().name())
        .isEqualTo("closing-call");
    assertThat(equities.inSession(at("2026-11-30T15:00:00"))).isFalse();
    // The same instant seen from UTC: 01:30Z is 09:30 in Shanghai.
    assertThat(equities.inSession(Instant.parse("2026-11-30T01:30:00Z"))).isTrue();
  }

  @Test
  void weekendsAndHolidaysHaveNoSessions() {
    assertThat(equities.inSession(at("2026-11-28T10:00:00"))).isFalse(); // Saturday
    assertThat(equities.inSession(at("2026-10-01T10:00:00"))).isFalse(); // holiday
    assertThat(equities.isTradingDay(LocalDate.parse("2026-10-02"))).isFalse();
    assertThat(equities.nextTradingDay(LocalDate.parse("2026-09-30")))
        .isEqualTo(LocalDate.parse("2026-10-05")); // Thu, Fri holidays, then the weekend
  }

  @Test
  void nextOpenSkipsBreaksWeekendsAndHolidays() {
    assertThat(equities.nextOpen(at("2026-11-30T12:00:00")).start().toLocalDateTime())
        .isEqualTo(LocalDateTime.parse("2026-11-30T13:00:00"));
    assertThat(equities.nextOpen(at("2026-11-27T15:30:00")).start().toLocalDateTime())
        .isEqualTo(LocalDateTime.parse("2026-11-30T09:15:00")); // Friday evening -> Monday
    assertThat(equities.nextOpen(at("2026-09-30T16:00:00")).start().toLocalDateTime())
        .isEqualTo(LocalDateTime.parse("2026-10-05T09:15:00"));
  }

  @Test
  void nextTradingDayOpenIsTheFirstSessionOfTheNextTradingDay() {
    assertThat(equities.nextTradingDayOpen(at("2026-09-30T10:00:00")).toLocalDateTime())
        .isEqualTo(LocalDateTime.parse("2026-10-05T09:15:00"));
    assertThat(equities.nextTradingDayOpen(at("2026-11-30T08:00:00")).toLocalDateTime())
        .isEqualTo(LocalDateTime.parse("2026-12-01T09:15:00"));
  }

  @Test
  void aNightSessionCrossesMidnightAndBelongsToTheTradingDayItStartsOn() {
    TradingCalendar futures =
        TradingCalendar.builder()
            .session("day", "09:00", "15:00")
            .session("night", "21:00", "02:30")
            .build();
    TradingCalendar.SessionWindow night =
        futures.sessionAt(at("2026-12-01T01:00:00")).orElseThrow(); // Tuesday 01:00
    assertThat(night.session().name()).isEqualTo("night");
    assertThat(night.tradingDay()).isEqualTo(LocalDate.parse("2026-11-30"));
    assertThat(futures.inSession(at("2026-12-01T02:30:00"))).isFalse();
    // Friday's night session runs into Saturday morning; Saturday has none of its own.
    assertThat(futures.inSession(at("2026-11-28T01:00:00"))).isTrue();
    assertThat(futures.inSession(at("2026-11-29T01:00:00"))).isFalse();
  }

  @Test
  void zoneCanBeChanged() {
    TradingCalendar london =
        TradingCalendar.builder()
            .zone(ZoneId.of("Europe/London"))
            .weekend(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY)
            .session("continuous", "08:00", "16:30")
            .build();
    assertThat(london.inSession(Instant.parse("2026-11-30T08:00:00Z"))).isTrue();
    assertThat(london.inSession(Instant.parse("2026-07-01T07:30:00Z"))).isTrue(); // BST
    assertThat(london.inSession(Instant.parse("2026-07-01T15:30:00Z"))).isFalse();
  }

  @Test
  void holidaysLoadFromAFileWithCommentsAndNames(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("holidays-2027.txt");
    Files.writeString(
        file, "# SSE 2027\n\n2027-01-01 New Year's Day\n2027-02-08   Spring Festival\n");
    TradingCalendar calendar = TradingCalendar.chinaEquities().holidays(file).build();
    assertThat(calendar.holidays())
        .containsEntry(LocalDate.parse("2027-01-01"), "New Year's Day")
        .containsEntry(LocalDate.parse("2027-02-08"), "Spring Festival");
  }

  @Test
  void badCalendarsAreRefusedWithKeyValueAndRule(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("holidays.txt");
    Files.writeString(file, "2027-01-01 New Year\n2027-13-01 nonsense\n");
    assertThatThrownBy(() -> TradingCalendar.builder().holidays(file))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "calendar.holidays.holidays.txt:2 = '2027-13-01 nonsense': must be an ISO date"
                + " (yyyy-MM-dd), optionally followed by a name");
    assertThatThrownBy(() -> TradingCalendar.builder().build())
        .hasMessage("calendar.sessions = '[]': needs at least one session");
    assertThatThrownBy(
            () ->
                TradingCalendar.builder()
                    .session("morning", "09:30", "11:30")
                    .session("auction", "11:00", "11:10")
                    .build())
        .hasMessage(
            "calendar.sessions.auction = '11:00-11:10': overlaps session morning 09:30-11:30");
    assertThatThrownBy(
            () ->
                TradingCalendar.builder()
                    .session("night", "21:00", "02:30")
                    .session("early", "01:00", "03:00")
                    .build())
        .hasMessageContaining("overlaps session");
    assertThatThrownBy(() -> TradingCalendar.builder().session("morning", "9.30", "11:30"))
        .hasMessage("calendar.sessions.morning.start = '9.30': must be a time written HH:mm");
    assertThatThrownBy(() -> TradingCalendar.builder().holidays(dir.resolve("missing.txt")))
        .hasMessageStartingWith("calendar.holidays = ")
        .hasMessageContaining("cannot be read");
  }

  @Test
  void theTradingDayRunsFromItsFirstOpenToTheNextAndANightSessionBelongsToTheNextTradingDay() {
    assertThat(equities.tradingDayAt(at("2026-11-30T08:00:00")))
        .as("before Monday's open: still Friday's trading day")
        .isEqualTo(LocalDate.parse("2026-11-27"));
    assertThat(equities.tradingDayAt(at("2026-11-30T09:15:00")))
        .isEqualTo(LocalDate.parse("2026-11-30"));
    assertThat(equities.tradingDayAt(at("2026-11-30T23:00:00")))
        .isEqualTo(LocalDate.parse("2026-11-30"));
    assertThat(equities.tradingDayAt(at("2026-10-03T10:00:00")))
        .as("a holiday counts toward the last trading day")
        .isEqualTo(LocalDate.parse("2026-09-30"));

    TradingCalendar futures =
        TradingCalendar.builder()
            .session("day", "09:00", "15:00")
            .session("night", "21:00", "02:30")
            .build();
    assertThat(futures.isNightSession(futures.sessions().get(1))).isTrue(); // night, 21:00
    assertThat(futures.isNightSession(futures.sessions().get(0))).isFalse(); // day, 09:00
    // Friday 21:30 and Saturday 01:00 are Friday's night session: Monday's trading day.
    assertThat(futures.tradingDayAt(at("2026-12-04T21:30:00")))
        .isEqualTo(LocalDate.parse("2026-12-07"));
    assertThat(futures.tradingDayAt(at("2026-12-05T01:00:00")))
        .isEqualTo(LocalDate.parse("2026-12-07"));
    assertThat(futures.tradingDayAt(at("2026-12-07T10:00:00")))
        .isEqualTo(LocalDate.parse("2026-12-07"));
    assertThat(futures.tradingDayAt(at("2026-12-07T16:00:00")))
        .isEqualTo(LocalDate.parse("2026-12-07"));
    assertThat(futures.tradingDayAt(at("2026-12-07T21:00:00")))
        .isEqualTo(LocalDate.parse("2026-12-08"));

    TradingCalendar evening =
        TradingCalendar.builder()
            .session("day", "09:00", "15:00")
            .session("night", "21:00", "23:00")
            .build();
    assertThat(evening.tradingDayAt(at("2026-12-07T22:00:00")))
        .as("a night session ending before midnight also belongs to the next trading day")
        .isEqualTo(LocalDate.parse("2026-12-08"));
  }
}
