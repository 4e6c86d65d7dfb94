package dev.stability.core.operations;

import dev.stability.api.ConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * When the market trades (R6): the sessions of a trading day (call auctions, continuous sessions)
 * as local times in a zone (Asia/Shanghai by default), weekends and holidays. Answers whether an
 * instant falls in a session, when the next session and the next trading day open; the
 * change-window policy reads it. Immutable and thread-safe.
 *
 * <p>A session is the half-open interval [start, end). A session whose end is not after its start
 * crosses midnight (a futures night session 21:00-02:30): it opens on the evening of a trading day
 * and belongs to that day.
 *
 * <pre>{@code
 * TradingCalendar calendar = TradingCalendar.builder()
 *     .session("opening-call", "09:15", "09:25")
 *     .session("morning", "09:30", "11:30")
 *     .session("afternoon", "13:00", "15:00")
 *     .holidays(Path.of("/etc/oms/holidays-2026.txt"))
 *     .build();
 * }</pre>
 */
public final class TradingCalendar {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]{0,63}");

  /** A session opening at or after this local time is a night session. */
  private static final LocalTime NIGHT_FROM = LocalTime.of(18, 0);

  /**
   * One session of every trading day.
   *
   * @param name lower-case name, e.g. {@code continuous-morning}
   * @param start local opening time
   * @param end local closing time (exclusive); not after {@code start} for a session crossing
   *     midnight
   */
  public record Session(String name, LocalTime start, LocalTime end) {

    /** Whether the session runs past midnight into the next calendar day. */
    public boolean crossesMidnight() {
      return !end.isAfter(start);
    }
  }

  /**
   * One occurrence of a session.
   *
   * @param session which session
   * @param tradingDay the trading day it belongs to
   * @param start when it opens
   * @param end when it closes (exclusive)
   */
  public record SessionWindow(
      Session session, LocalDate tradingDay, ZonedDateTime start, ZonedDateTime end) {

    /** Whether {@code instant} is inside [start, end). */
    public boolean contains(Instant instant) {
      return !instant.isBefore(start.toInstant()) && instant.isBefore(end.toInstant());
    }
  }

  private final ZoneId zone;
  private final List<Session> sessions;
  private final Set<DayOfWeek> weekend;
  private final Map<LocalDate, String> holidays;

  private TradingCalendar(Builder builder) {
    this.zone = builder.zone;
    List<Session> sorted = new ArrayList<>(builder.sessions);
    sorted.sort(Comparator.comparing(Session::start));
    this.sessions = List.copyOf(sorted);
    this.weekend = Collections.unmodifiableSet(EnumSet.copyOf(builder.weekend));
    this.holidays = Collections.unmodifiableMap(new TreeMap<>(builder.holidays));
  }

  /** Starts an empty calendar in Asia/Shanghai with Saturday and Sunday as the weekend. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The sessions of the Shanghai and Shenzhen stock exchanges: opening call 09:15-09:25, continuous
   * 09:30-11:30 and 13:00-14:57, closing call 14:57-15:00; add the year's holidays.
   */
  public static Builder chinaEquities() {
    return builder()
        .session("opening-call", "09:15", "09:25")
        .session("continuous-morning", "09:30", "11:30")
        .session("continuous-afternoon", "13:00", "14:57")
        .session("closing-call", "14:57", "15:00");
  }

  /** The zone session times are in. */
  public ZoneId zone() {
    return zone;
  }

  /** The sessions of a trading day, by opening time. */
  public List<Session> sessions() {
    return sessions;
  }

  /** The holidays, by date, with their names. */
  public Map<LocalDate, String> holidays() {
    return holidays;
  }

  /** Whether the market trades on {@code date}: not a weekend day and not a holiday. */
  public boolean isTradingDay(LocalDate date) {
    return !weekend.contains(date.getDayOfWeek()) && !holidays.containsKey(date);
  }

  /** The first trading day strictly after {@code date}. */
  public LocalDate nextTradingDay(LocalDate date) {
    LocalDate day = date.plusDays(1);
    for (int i = 0; i < 3660 && !isTradingDay(day); i++) {
      day = day.plusDays(1);
    }
    if (!isTradingDay(day)) {
      throw new IllegalStateException("no trading day within 10 years after " + date);
    }
    return day;
  }

  /** The session open at {@code instant}, if any. */
  public Optional<SessionWindow> sessionAt(Instant instant) {
    LocalDate today = instant.atZone(zone).toLocalDate();
    // A night session of yesterday's trading day may still be open after midnight.
    for (LocalDate day : List.of(today.minusDays(1), today)) {
      for (SessionWindow window : windows(day)) {
        if (window.contains(instant)) {
          return Optional.of(window);
        }
      }
    }
    return Optional.empty();
  }

  /** Whether a session is open at {@code instant}. */
  public boolean inSession(Instant instant) {
    return sessionAt(instant).isPresent();
  }

  /** The next session to open strictly after {@code instant}. */
  public SessionWindow nextOpen(Instant instant) {
    LocalDate day = instant.atZone(zone).toLocalDate().minusDays(1);
    for (int i = 0; i < 3660; i++, day = day.plusDays(1)) {
      for (SessionWindow window : windows(day)) {
        if (window.start().toInstant().isAfter(instant)) {
          return window;
        }
      }
    }
    throw new IllegalStateException("no session opens within 10 years after " + instant);
  }

  /**
   * When the next trading day opens: the first session of the first trading day after the one
   * {@code instant} falls on (a night session opens the day it belongs to).
   */
  public ZonedDateTime nextTradingDayOpen(Instant instant) {
    LocalDate next = nextTradingDay(instant.atZone(zone).toLocalDate());
    return windows(next).get(0).start();
  }

  /**
   * Whether {@code session} is a night session: one that crosses midnight or opens at or after
   * 18:00 local time (a futures night session 21:00-23:00 or 21:00-02:30). Its trades settle on the
   * next trading day, so {@link #tradingDayAt} counts it there.
   */
  public boolean isNightSession(Session session) {
    return session.crossesMidnight() || !session.start().isBefore(NIGHT_FROM);
  }

  /**
   * The trading day {@code instant} counts toward, as clearing counts it: the trading day of the
   * session most recently opened at or before {@code instant} (the one open now, or the last one to
   * close), where a {@linkplain #isNightSession night session} belongs to the next trading day
   * after the evening it opens on. An equities trading day so runs from its first session's open to
   * the next trading day's; a futures trading day starts with the night session of the evening
   * before (Friday's night session belongs to Monday). {@link SessionWindow#tradingDay()} is the
   * day a session opens on, as the change-window policy reads it; this is the day its business
   * counts for. Before any session of the last ten years it is the calendar date.
   */
  public LocalDate tradingDayAt(Instant instant) {
    LocalDate date = instant.atZone(zone).toLocalDate();
    for (int i = 0; i < 3660; i++, date = date.minusDays(1)) {
      SessionWindow latest = null;
      for (SessionWindow window : windows(date)) {
        if (!window.start().toInstant().isAfter(instant)) {
          latest = window;
        }
      }
      if (latest != null) {
        return isNightSession(latest.session())
            ? nextTradingDay(latest.tradingDay())
            : latest.tradingDay();
      }
    }
    return instant.atZone(zone).toLocalDate();
  }

  /** The sessions of {@code day} as zoned windows; none on a non-trading day. */
  public List<SessionWindow> windows(LocalDate day) {
    if (!isTradingDay(day)) {
      return List.of();
    }
    List<SessionWindow> windows = new ArrayList<>(sessions.size());
    for (Session session : sessions) {
      ZonedDateTime start = day.atTime(session.start()).atZone(zone);
      ZonedDateTime end =
          (session.crossesMidnight() ? day.plusDays(1) : day).atTime(session.end()).atZone(zone);
      windows.add(new SessionWindow(session, day, start, end));
    }
    return windows;
  }

  @Override
  public String toString() {
    return "TradingCalendar["
        + zone
        + ", "
        + sessions.size()
        + " sessions, "
        + holidays.size()
        + " holidays]";
  }

  /** Builds a {@link TradingCalendar}; every setting is validated in {@link #build()}. */
  public static final class Builder {
    private ZoneId zone = ZoneId.of("Asia/Shanghai");
    private final List<Session> sessions = new ArrayList<>();
    private Set<DayOfWeek> weekend = EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
    private final Map<LocalDate, String> holidays = new TreeMap<>();

    private Builder() {}

    /** The zone of the session times (default Asia/Shanghai). */
    public Builder zone(ZoneId value) {
      if (value == null) {
        throw new ConfigurationException("calendar.zone", null, "must be set");
      }
      this.zone = value;
      return this;
    }

    /**
     * Adds a session with times written {@code HH:mm}.
     *
     * @throws ConfigurationException naming the session and the time that does not parse
     */
    public Builder session(String name, String start, String end) {
      return session(name, time(name, "start", start), time(name, "end", end));
    }

    /** Adds a session. */
    public Builder session(String name, LocalTime start, LocalTime end) {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new ConfigurationException(
            "calendar.sessions",
            name,
            "a session name must start with a lower case letter, then letters, digits, '.', '_'"
                + " or '-', 1-64 characters");
      }
      if (start == null || end == null) {
        throw new ConfigurationException(
            "calendar.sessions." + name, null, "needs a start and an end time");
      }
      if (start.equals(end)) {
        throw new ConfigurationException(
            "calendar.sessions." + name + ".end", end, "must differ from the start " + start);
      }
      sessions.add(new Session(name, start, end));
      return this;
    }

    private static LocalTime time(String session, String which, String text) {
      try {
        return LocalTime.parse(text);
      } catch (DateTimeParseException | NullPointerException e) {
        throw new ConfigurationException(
            "calendar.sessions." + session + "." + which, text, "must be a time written HH:mm");
      }
    }

    /** The days of the week the market never trades (default Saturday and Sunday). */
    public Builder weekend(DayOfWeek... days) {
      this.weekend = days.length == 0 ? EnumSet.noneOf(DayOfWeek.class) : EnumSet.of(days[0], days);
      return this;
    }

    /** Adds a holiday. */
    public Builder holiday(LocalDate date, String name) {
      if (date == null) {
        throw new ConfigurationException("calendar.holidays", null, "a holiday needs a date");
      }
      holidays.put(date, name == null ? "" : name);
      return this;
    }

    /**
     * Adds the holidays of a text file: one per line, an ISO date optionally followed by a name
     * ({@code 2026-10-01 National Day}); blank lines and lines starting with {@code #} are ignored.
     *
     * @throws ConfigurationException naming the file and line of the first bad line, or a file that
     *     cannot be read
     */
    public Builder holidays(Path file) {
      List<String> lines;
      try {
        lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new ConfigurationException("calendar.holidays", file, "cannot be read: " + e);
      }
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split("\\s+", 2);
        try {
          holiday(LocalDate.parse(parts[0]), parts.length > 1 ? parts[1] : "");
        } catch (DateTimeParseException e) {
          throw new ConfigurationException(
              "calendar.holidays." + file.getFileName() + ":" + (i + 1),
              line,
              "must be an ISO date (yyyy-MM-dd), optionally followed by a name");
        }
      }
      return this;
    }

    /**
     * Builds the calendar.
     *
     * @throws ConfigurationException if there is no session, a name repeats, or sessions overlap
     */
    public TradingCalendar build() {
      if (sessions.isEmpty()) {
        throw new ConfigurationException("calendar.sessions", "[]", "needs at least one session");
      }
      List<Session> sorted = new ArrayList<>(sessions);
      sorted.sort(Comparator.comparing(Session::start));
      for (int i = 0; i < sorted.size(); i++) {
        Session a = sorted.get(i);
        for (int j = i + 1; j < sorted.size(); j++) {
          Session b = sorted.get(j);
          if (a.name().equals(b.name())) {
            throw new ConfigurationException(
                "calendar.sessions", a.name(), "must be declared only once");
          }
          if (overlap(a, b)) {
            throw new ConfigurationException(
                "calendar.sessions." + b.name(),
                b.start() + "-" + b.end(),
                "overlaps session " + a.name() + " " + a.start() + "-" + a.end());
          }
        }
      }
      return new TradingCalendar(this);
    }

    /** Overlap on a 48-hour line, so a night session crossing midnight is compared correctly. */
    private static boolean overlap(Session a, Session b) {
      long[] x = seconds(a);
      long[] y = seconds(b);
      for (long shift : new long[] {-86_400, 0, 86_400}) {
        if (x[0] < y[1] + shift && y[0] + shift < x[1]) {
          return true;
        }
      }
      return false;
    }

    private static long[] seconds(Session s) {
      long start = s.start().toSecondOfDay();
      long end = s.end().toSecondOfDay();
      return new long[] {start, s.crossesMidnight() ? end + 86_400 : end};
    }
  }
}
