package dev.stability.core.operations;

import dev.stability.core.internal.Rules;
import dev.stability.core.operations.TradingCalendar.SessionWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * The change-window policy (R6): risky operations are refused while a trading session is open,
 * widened by a margin on both sides (a change must not land a minute before the open). Breaks
 * between sessions are outside the window unless the margin covers them. Immutable.
 *
 * @param calendar the trading calendar
 * @param margin how far before a session opens and after it closes changes are already and still
 *     refused, 0 to 4 hours
 */
public record ChangeWindow(TradingCalendar calendar, Duration margin) {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

  /** Validates. */
  public ChangeWindow {
    if (calendar == null) {
      throw new dev.stability.api.ConfigurationException(
          "operations.calendar", null, "must be set for a change window");
    }
    Rules.notNegative("operations.change-window-margin", margin);
    if (margin.compareTo(Duration.ofHours(4)) > 0) {
      throw new dev.stability.api.ConfigurationException(
          "operations.change-window-margin", margin, "must be at most 4 hours");
    }
  }

  /** The session (widened by the margin) that blocks risky changes at {@code instant}, if any. */
  public Optional<SessionWindow> blockingSession(Instant instant) {
    LocalDate day = instant.atZone(calendar.zone()).toLocalDate();
    // The margin is at most 4 hours and sessions are shorter than a day: three days cover it.
    for (LocalDate d = day.minusDays(1); !d.isAfter(day.plusDays(1)); d = d.plusDays(1)) {
      for (SessionWindow window : calendar.windows(d)) {
        Instant from = window.start().toInstant().minus(margin);
        Instant to = window.end().toInstant().plus(margin);
        if (!instant.isBefore(from) && instant.isBefore(to)) {
          return Optional.of(window);
        }
      }
    }
    return Optional.empty();
  }

  /** Whether risky changes are allowed at {@code instant}. */
  public boolean isOpen(Instant instant) {
    return blockingSession(instant).isEmpty();
  }

  /** The sentence that explains a refusal of {@code action} because of {@code session}. */
  public String refusal(String action, SessionWindow session) {
    return action
        + " refused: trading session "
        + session.session().name()
        + " is open from "
        + session.start().format(TIME)
        + " until "
        + session.end().format(TIME)
        + " "
        + calendar.zone()
        + " on "
        + session.tradingDay()
        + (margin.isZero() ? "" : " (changes are frozen " + margin.toMinutes() + " min around it)")
        + "; risky operations wait for the session to close or are declared an emergency with a"
        + " second person's approval";
  }
}
