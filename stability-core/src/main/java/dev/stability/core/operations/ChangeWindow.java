package dev.stability.core.operations;

import dev.stability.api.ConfigurationException;
import dev.stability.core.internal.Rules;
import dev.stability.core.operations.TradingCalendar.SessionWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The change-window policy (R6): risky operations are refused while a trading session is open,
 * widened by a margin on both sides (a change must not land a minute before the open), and during
 * breaks between sessions up to a length (the midday break is trading hours too; the afternoon gap
 * before a night session is not). Immutable.
 *
 * @param calendar the trading calendar
 * @param margin how far before a session opens and after it closes changes are already and still
 *     refused, 0 to 4 hours
 * @param maxFrozenBreak breaks between sessions up to this long are frozen too (default 2 hours; 0
 *     leaves every break open), 0 to 12 hours
 */
public record ChangeWindow(TradingCalendar calendar, Duration margin, Duration maxFrozenBreak) {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

  /** Validates. */
  public ChangeWindow {
    if (calendar == null) {
      throw new ConfigurationException(
          "operations.calendar", null, "must be set for a change window");
    }
    Rules.notNegative("operations.change-window-margin", margin);
    if (margin.compareTo(Duration.ofHours(4)) > 0) {
      throw new ConfigurationException(
          "operations.change-window-margin", margin, "must be at most 4 hours");
    }
    Rules.notNegative("operations.max-frozen-break", maxFrozenBreak);
    if (maxFrozenBreak.compareTo(Duration.ofHours(12)) > 0) {
      throw new ConfigurationException(
          "operations.max-frozen-break", maxFrozenBreak, "must be at most 12 hours");
    }
  }

  /** A window with no margin that freezes breaks of up to 2 hours. */
  public static ChangeWindow of(TradingCalendar calendar) {
    return new ChangeWindow(calendar, Duration.ZERO, Duration.ofHours(2));
  }

  /**
   * Why changes are refused at an instant.
   *
   * @param session the open session, or for a break the session before it
   * @param inBreak whether the instant is in a frozen break rather than a session
   * @param from when the frozen stretch started
   * @param until when it ends (exclusive)
   * @param tradingDay the trading day
   */
  public record Block(
      String session,
      boolean inBreak,
      ZonedDateTime from,
      ZonedDateTime until,
      LocalDate tradingDay) {}

  /** What refuses risky changes at {@code instant}, if anything. */
  public Optional<Block> blockAt(Instant instant) {
    LocalDate day = instant.atZone(calendar.zone()).toLocalDate();
    List<SessionWindow> windows = new ArrayList<>();
    // The margin is at most 4 hours and a break at most 12: three days cover every case.
    for (LocalDate d = day.minusDays(1); !d.isAfter(day.plusDays(1)); d = d.plusDays(1)) {
      windows.addAll(calendar.windows(d));
    }
    windows.sort(Comparator.comparing(SessionWindow::start));
    for (SessionWindow window : windows) {
      Instant from = window.start().toInstant().minus(margin);
      Instant to = window.end().toInstant().plus(margin);
      if (!instant.isBefore(from) && instant.isBefore(to)) {
        return Optional.of(
            new Block(
                window.session().name(), false, window.start(), window.end(), window.tradingDay()));
      }
    }
    for (int i = 0; i + 1 < windows.size(); i++) {
      SessionWindow before = windows.get(i);
      SessionWindow after = windows.get(i + 1);
      Duration gap = Duration.between(before.end(), after.start());
      if (!gap.isNegative()
          && gap.compareTo(maxFrozenBreak) <= 0
          && !instant.isBefore(before.end().toInstant())
          && instant.isBefore(after.start().toInstant())) {
        return Optional.of(
            new Block(
                before.session().name(), true, before.end(), after.start(), after.tradingDay()));
      }
    }
    return Optional.empty();
  }

  /** Whether risky changes are allowed at {@code instant}. */
  public boolean isOpen(Instant instant) {
    return blockAt(instant).isEmpty();
  }

  /** The sentence that explains a refusal of {@code action} because of {@code block}. */
  public String refusal(String action, Block block) {
    String stretch =
        block.inBreak()
            ? "the market is in the break after "
                + block.session()
                + ", from "
                + block.from().format(TIME)
                + " until "
                + block.until().format(TIME)
            : "trading session "
                + block.session()
                + " is open from "
                + block.from().format(TIME)
                + " until "
                + block.until().format(TIME);
    return action
        + " refused: "
        + stretch
        + " "
        + calendar.zone()
        + " on "
        + block.tradingDay()
        + (margin.isZero() ? "" : " (changes are frozen " + margin.toMinutes() + " min around it)")
        + "; risky operations wait for the session to close or are declared an emergency with a"
        + " second person's approval";
  }
}
