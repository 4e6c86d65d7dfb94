package dev.stability.core.capacity.internal;

import dev.stability.api.ConfigurationException;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.health.HealthCheck;
import dev.stability.api.health.HealthKind;
import dev.stability.api.health.HealthResult;
import dev.stability.api.health.HealthStatus;
import dev.stability.api.metric.StabilityMetric;
import dev.stability.core.capacity.Capacity;
import dev.stability.core.capacity.CapacityBasis;
import dev.stability.core.capacity.CapacityIndicator;
import dev.stability.core.capacity.CapacitySettings;
import dev.stability.core.capacity.CapacityStoreException;
import dev.stability.core.event.Events;
import dev.stability.core.internal.RuntimeContext;
import dev.stability.core.internal.RuntimeTimer;
import dev.stability.core.internal.SdkMeters;
import dev.stability.core.operations.TradingCalendar;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Samples every indicator's striped counter once a second off the callers' threads and keeps the
 * rates, the per-trading-day peaks of the peak window, the historical peak (their maximum) and
 * headroom; everything but {@link Indicator#record} runs under this monitor's lock on the rare
 * path. With a trading calendar, only seconds sampled inside a session count toward peaks, and days
 * are trading days. Internal: reached through {@link Capacity}.
 */
public final class CapacityMonitor implements Capacity, AutoCloseable {

  /** A sample closer than this to the previous one is skipped: rates are over full seconds. */
  private static final long MIN_SAMPLE_NANOS = 950_000_000L;

  private static final long PEAK_EVENT_INTERVAL_NANOS = 60_000_000_000L;

  private final CapacitySettings settings;
  private final Events events;
  private final Clock clock;
  private final LongSupplier ticker;
  private final TradingCalendar calendar;
  private final Period window;
  private volatile LocalDate today;
  private final Map<String, Indicator> indicators = new LinkedHashMap<>();
  private final Map<String, CapacityStore.Stored> undeclared = new LinkedHashMap<>();
  private final ScheduledFuture<?> sampling;
  private static final long SAVE_INTERVAL_NANOS = 5_000_000_000L;
  private boolean storeDirty;
  private long lastSaveTick = Long.MIN_VALUE;
  private boolean storeFailing;

  /** The host's interface counters, when an indicator is fed from them; else null. */
  private final InterfaceCounters counters;

  /**
   * Loads the store and starts sampling on {@code timer} (unless {@code sampleOnTimer} is false).
   *
   * @throws CapacityStoreException if the store exists but cannot be read
   * @throws ConfigurationException if an indicator is fed from a network interface that this host's
   *     {@code /proc/net/dev} does not list, or the file cannot be read
   */
  public CapacityMonitor(CapacitySettings settings, RuntimeContext context) {
    this.settings = settings;
    this.events = context.events();
    this.clock = context.clock();
    this.ticker = context.ticker();
    this.calendar = settings.calendar();
    this.window = settings.peakWindow();
    SdkMeters meters = context.meters();
    RuntimeTimer timer = context.timer();
    boolean sampleOnTimer = context.background();
    this.today = dayAt(clock.instant());
    CapacityStore.Read read = load(settings.store());
    Map<String, CapacityStore.Stored> stored = read.indicators();
    long now = ticker.getAsLong();
    for (String name : settings.indicators()) {
      Indicator indicator = new Indicator(name, now, stored.remove(name));
      indicators.put(name, indicator);
      meters.functionCounter(
          StabilityMetric.CAPACITY_UNITS, indicator, i -> i.units.sum(), "indicator", name);
      meters.gauge(StabilityMetric.CAPACITY_RATE, indicator, i -> i.rate, "indicator", name);
      meters.gauge(
          StabilityMetric.CAPACITY_PEAK_TODAY, indicator, i -> i.peakToday, "indicator", name);
      meters.gauge(
          StabilityMetric.CAPACITY_PEAK_HISTORICAL,
          indicator,
          i -> i.historicalPeak,
          "indicator",
          name);
      meters.gauge(StabilityMetric.CAPACITY_TESTED, indicator, i -> i.tested, "indicator", name);
      meters.gauge(
          StabilityMetric.CAPACITY_HEADROOM, indicator, Indicator::headroom, "indicator", name);
    }
    undeclared.putAll(stored);
    this.counters =
        settings.interfaceCounters().isEmpty()
            ? null
            : new InterfaceCounters(settings.interfaceCountersFile());
    if (counters != null) {
      baselineInterfaces();
    }
    synchronized (this) {
      for (Indicator indicator : indicators.values()) {
        storeDirty |= recompute(indicator);
        evaluateHeadroom(indicator);
      }
      if (read.migrated()) {
        // Read the old format, write the new one at once: the file is migrated on start.
        storeDirty = true;
        save();
      }
    }
    this.sampling =
        sampleOnTimer && !indicators.isEmpty()
            ? timer.every(Duration.ofSeconds(1), Duration.ofSeconds(1), this::sample)
            : null;
  }

  /** Reads each fed indicator's starting byte count; refuses an interface the host lacks. */
  private void baselineInterfaces() {
    Map<String, Long> bytes;
    try {
      bytes = counters.read();
    } catch (IOException e) {
      ConfigurationException refused =
          new ConfigurationException(
              "capacity.interface-counters",
              settings.interfaceCounters().toString(),
              "needs the host's interface counters, which could not be read: " + e.getMessage());
      refused.initCause(e);
      throw refused;
    }
    for (Map.Entry<String, String> feed : settings.interfaceCounters().entrySet()) {
      Long start = bytes.get(feed.getValue());
      if (start == null) {
        throw new ConfigurationException(
            "capacity.interface-counters." + feed.getKey(),
            feed.getValue(),
            "is not a network interface of this host; "
                + counters.file()
                + " lists: "
                + bytes.keySet());
      }
      Indicator indicator = indicators.get(feed.getKey());
      indicator.networkInterface = feed.getValue();
      indicator.interfaceBytes = start;
    }
  }

  /**
   * Adds each fed indicator's bytes since the last read to its units. A counter that went down (the
   * interface was re-created) starts a new baseline; a read that fails leaves the units unchanged
   * and the indicator's problem set, which the capacity check reports, until a read succeeds, which
   * starts a new baseline too.
   */
  private void readInterfaces() {
    Map<String, Long> bytes;
    String failure;
    try {
      bytes = counters.read();
      failure = null;
    } catch (IOException e) {
      bytes = Map.of();
      failure = "interface counters could not be read: " + e.getMessage();
    }
    for (Indicator indicator : indicators.values()) {
      String name = indicator.networkInterface;
      if (name == null) {
        continue;
      }
      Long now = bytes.get(name);
      if (now == null) {
        indicator.sourceProblem =
            failure != null ? failure : "interface " + name + " is no longer in " + counters.file();
        continue;
      }
      long delta = now - indicator.interfaceBytes;
      // After a failed read the bytes since the last good one span the whole outage: counted in
      // one second they would make a false peak, so counting starts again from this reading.
      if (delta > 0 && indicator.sourceProblem == null) {
        indicator.units.add(delta);
      }
      indicator.interfaceBytes = now;
      indicator.sourceProblem = null;
    }
  }

  /** The trading day of {@code instant}: the calendar's, else the date in the clock's zone. */
  private LocalDate dayAt(Instant instant) {
    return calendar == null
        ? instant.atZone(clock.getZone()).toLocalDate()
        : calendar.tradingDayAt(instant);
  }

  /** The trading day of an ISO instant; today's when it is absent or does not parse. */
  private LocalDate dayOf(String at) {
    if (at == null) {
      return today;
    }
    try {
      return dayAt(Instant.parse(at));
    } catch (DateTimeParseException e) {
      return today;
    }
  }

  /** The first day that still counts: days after {@code today - window}. */
  private LocalDate firstDayInWindow() {
    return today.minus(window).plusDays(1);
  }

  /**
   * Drops the days that left the window and recomputes the historical peak (the largest remaining
   * day's) and today's peak. Returns whether a day was dropped.
   */
  private boolean recompute(Indicator indicator) {
    Map<LocalDate, CapacityStore.DayPeak> old = indicator.days.headMap(firstDayInWindow());
    boolean dropped = !old.isEmpty();
    old.clear();
    double peak = 0;
    String at = null;
    for (CapacityStore.DayPeak day : indicator.days.values()) {
      if (day.peak() > peak) {
        peak = day.peak();
        at = day.at();
      }
    }
    indicator.historicalPeak = peak;
    indicator.peakAt = at;
    CapacityStore.DayPeak current = indicator.days.get(today);
    indicator.peakToday = current == null ? 0 : current.peak();
    return dropped;
  }

  private CapacityStore.Read load(Path store) {
    if (store == null) {
      return new CapacityStore.Read(new LinkedHashMap<>(), false);
    }
    try {
      if (!java.nio.file.Files.exists(store)) {
        events.publish(
            LogRecord.builder(StabilityEventCode.CAPACITY_STORE_NEW)
                .message(
                    "no capacity store at "
                        + store
                        + ": a new history starts with no historical peak; if a store existed,"
                        + " restore it before the peaks are overwritten")
                .attr("store", store.toString()));
      }
      return CapacityStore.read(store, this::dayOf);
    } catch (CapacityStoreException e) {
      events.publish(
          LogRecord.builder(StabilityEventCode.CAPACITY_STORE_DAMAGED)
              .message(e.getMessage())
              .attr("store", store.toString()));
      throw e;
    }
  }

  @Override
  public CapacityIndicator indicator(String name) {
    Indicator indicator = indicators.get(name);
    if (indicator == null) {
      throw new IllegalArgumentException(
          "no capacity indicator named '" + name + "'; declared: " + indicators.keySet());
    }
    return indicator;
  }

  @Override
  public Collection<CapacityIndicator> all() {
    return List.copyOf(indicators.values());
  }

  @Override
  public double requiredHeadroom() {
    return settings.requiredHeadroom();
  }

  @Override
  public LocalDate tradingDay() {
    return today;
  }

  @Override
  public Period peakWindow() {
    return window;
  }

  @Override
  public synchronized void sample() {
    long now = ticker.getAsLong();
    Instant instant = clock.instant();
    LocalDate day = dayAt(instant);
    if (!day.equals(today)) {
      // A new trading day: today's peak starts again and the oldest day may leave the window.
      today = day;
      for (Indicator indicator : indicators.values()) {
        storeDirty |= recompute(indicator);
        evaluateHeadroom(indicator);
      }
    }
    if (counters != null) {
      readInterfaces();
    }
    // Outside the sessions of a configured calendar, rates are measured but set no peak.
    boolean counts = calendar == null || calendar.inSession(instant);
    for (Indicator indicator : indicators.values()) {
      long elapsed = now - indicator.lastTick;
      if (elapsed < MIN_SAMPLE_NANOS) {
        continue;
      }
      long sum = indicator.units.sum();
      double rate = (sum - indicator.lastSum) * 1e9 / elapsed;
      indicator.lastSum = sum;
      indicator.lastTick = now;
      indicator.rate = rate;
      if (counts && rate > indicator.peakToday) {
        indicator.peakToday = rate;
        indicator.days.put(today, new CapacityStore.DayPeak(rate, instant.toString()));
        storeDirty = true;
      }
      if (counts && rate > indicator.historicalPeak) {
        indicator.pendingPeakFrom =
            indicator.peakPending ? indicator.pendingPeakFrom : indicator.historicalPeak;
        indicator.peakPending = true;
        indicator.historicalPeak = rate;
        indicator.peakAt = instant.toString();
        evaluateHeadroom(indicator);
      }
      if (indicator.peakPending
          && (indicator.lastPeakEventTick == Long.MIN_VALUE
              || now - indicator.lastPeakEventTick >= PEAK_EVENT_INTERVAL_NANOS)) {
        publishPeak(indicator, now);
      }
    }
    // A ramp sets a new peak every second: write at most every few seconds (and at close).
    if (storeDirty
        && (lastSaveTick == Long.MIN_VALUE || now - lastSaveTick >= SAVE_INTERVAL_NANOS)) {
      save();
      lastSaveTick = now;
    }
  }

  /** Every indicator's carried state, in declaration order. */
  public synchronized List<CapacityState> capture() {
    List<CapacityState> states = new ArrayList<>();
    for (Indicator i : indicators.values()) {
      List<CapacityState.DayPeak> days = new ArrayList<>(i.days.size());
      for (Map.Entry<LocalDate, CapacityStore.DayPeak> d : i.days.entrySet()) {
        days.add(
            new CapacityState.DayPeak(
                d.getKey().toString(), d.getValue().peak(), d.getValue().at()));
      }
      states.add(
          new CapacityState(
              i.name,
              i.historicalPeak,
              i.peakAt,
              i.tested,
              i.testedAt,
              i.testedSource,
              i.peakToday,
              today.toString(),
              days,
              i.provisioned));
    }
    return states;
  }

  /**
   * Takes over the primary's capacity history at a switch: each day's higher peak within this
   * window (so the historical and today's peaks are at least the primary's), and the more recent
   * tested capacity; stored at once. The provisioned capacity stays this site's configuration (a
   * difference is reported). Returns what was applied, for the inheritance record, or null if the
   * indicator is not declared here.
   */
  public synchronized String inherit(CapacityState state) {
    Indicator indicator = indicators.get(state.name());
    if (indicator == null) {
      return null;
    }
    List<CapacityState.DayPeak> incoming = new ArrayList<>(state.days());
    if (incoming.isEmpty()) {
      // A primary that sends no days: its peak counts on the day it was reached.
      if (state.historicalPeak() > 0) {
        incoming.add(
            new CapacityState.DayPeak(
                dayOf(state.peakAt()).toString(), state.historicalPeak(), state.peakAt()));
      }
      if (state.peakToday() > 0 && today.toString().equals(state.day())) {
        incoming.add(new CapacityState.DayPeak(state.day(), state.peakToday(), null));
      }
    }
    double peakBefore = indicator.historicalPeak;
    double todayBefore = indicator.peakToday;
    LocalDate first = firstDayInWindow();
    int merged = 0;
    for (CapacityState.DayPeak d : incoming) {
      LocalDate day;
      try {
        day = LocalDate.parse(d.day());
      } catch (DateTimeParseException e) {
        continue;
      }
      CapacityStore.DayPeak here = indicator.days.get(day);
      if (!day.isBefore(first) && (here == null || d.peak() > here.peak())) {
        indicator.days.put(day, new CapacityStore.DayPeak(d.peak(), d.at()));
        merged++;
      }
    }
    recompute(indicator);
    StringBuilder applied = new StringBuilder();
    if (indicator.historicalPeak > peakBefore) {
      applied.append("historical peak ").append(perSecond(indicator.historicalPeak));
    }
    if (state.tested() > 0 && newer(state.testedAt(), indicator.testedAt)) {
      indicator.tested = state.tested();
      indicator.testedAt = state.testedAt();
      indicator.testedSource = state.testedSource();
      append(applied, "tested " + perSecond(state.tested()));
    }
    if (indicator.peakToday > todayBefore) {
      append(applied, "peak today " + perSecond(indicator.peakToday));
    }
    if (merged > 0) {
      append(applied, merged + (merged == 1 ? " day peak" : " day peaks") + " of the window");
    }
    String provisioned = "";
    if (state.provisioned() > 0 && state.provisioned() != indicator.provisioned) {
      provisioned =
          "; provisioned "
              + perSecond(state.provisioned())
              + " on the primary, "
              + (indicator.provisioned > 0 ? perSecond(indicator.provisioned) : "none")
              + " configured here (kept)";
    }
    if (applied.length() > 0) {
      storeDirty = true;
      save();
      evaluateHeadroom(indicator);
    }
    return (applied.length() == 0 ? "already as high here" : applied.toString()) + provisioned;
  }

  private static void append(StringBuilder applied, String what) {
    applied.append(applied.length() == 0 ? "" : ", ").append(what);
  }

  /** Whether ISO instant {@code candidate} is later than {@code current} (null is earliest). */
  private static boolean newer(String candidate, String current) {
    if (candidate == null) {
      return current == null;
    }
    if (current == null) {
      return true;
    }
    try {
      return java.time.Instant.parse(candidate).isAfter(java.time.Instant.parse(current));
    } catch (java.time.format.DateTimeParseException e) {
      return false;
    }
  }

  private void publishPeak(Indicator indicator, long now) {
    indicator.peakPending = false;
    indicator.lastPeakEventTick = now;
    events.publish(
        LogRecord.builder(StabilityEventCode.CAPACITY_PEAK_EXCEEDED)
            .message(
                indicator.name
                    + " reached a new historical peak of "
                    + perSecond(indicator.historicalPeak)
                    + " (previous "
                    + perSecond(indicator.pendingPeakFrom)
                    + ")")
            .attr("indicator", indicator.name)
            .attr("peak", round(indicator.historicalPeak))
            .attr("previous_peak", round(indicator.pendingPeakFrom)));
  }

  private synchronized void tested(Indicator indicator, double rate, String source) {
    indicator.tested = rate;
    indicator.testedAt = clock.instant().toString();
    indicator.testedSource = source;
    storeDirty = true;
    save();
    events.publish(
        LogRecord.builder(StabilityEventCode.CAPACITY_TESTED)
            .message(
                indicator.name
                    + " tested capacity "
                    + perSecond(rate)
                    + (source == null ? "" : " (" + source + ")")
                    + ", headroom "
                    + ratio(indicator.headroom()))
            .attr("indicator", indicator.name)
            .attr("tested", round(rate))
            .attr("source", source == null ? "" : source));
    evaluateHeadroom(indicator);
  }

  private synchronized void raise(Indicator indicator, double rate, LocalDate day) {
    LocalDate on = day == null ? today : day;
    if (on.isAfter(today)) {
      throw new IllegalArgumentException(
          "capacity indicator '"
              + indicator.name
              + "': a peak can be declared for a trading day up to today ("
              + today
              + "), got "
              + on);
    }
    CapacityStore.DayPeak here = indicator.days.get(on);
    if (on.isBefore(firstDayInWindow()) || (here != null && here.peak() >= rate)) {
      return;
    }
    indicator.days.put(
        on, new CapacityStore.DayPeak(rate, on.equals(today) ? clock.instant().toString() : null));
    recompute(indicator);
    storeDirty = true;
    save();
    evaluateHeadroom(indicator);
  }

  /** Publishes LOW on entering the low state (also at start) and RESTORED on leaving it. */
  private void evaluateHeadroom(Indicator indicator) {
    double headroom = indicator.headroom();
    double required = indicator.required;
    boolean low = indicator.historicalPeak > 0 && !(headroom >= required);
    Boolean before = indicator.low;
    indicator.low = low;
    if (before == null ? !low : before == low) {
      return;
    }
    CapacityBasis basis = indicator.capacityBasis();
    LogRecord.Builder event =
        LogRecord.builder(
                low
                    ? StabilityEventCode.CAPACITY_HEADROOM_LOW
                    : StabilityEventCode.CAPACITY_HEADROOM_RESTORED)
            .attr("indicator", indicator.name)
            .attr("headroom", round(headroom))
            .attr("required", round(required))
            .attr("basis", basis.label())
            .attr("capacity", round(indicator.capacity()))
            .attr("tested", round(indicator.tested))
            .attr("peak", round(indicator.historicalPeak));
    if (!low) {
      event.message(
          indicator.name
              + " headroom "
              + ratio(headroom)
              + " is back at or above the required "
              + ratio(required)
              + " ("
              + basis.label()
              + " capacity "
              + perSecond(indicator.capacity())
              + ")");
    } else if (basis == CapacityBasis.NONE) {
      event.message(
          indicator.name
              + " has no tested capacity: a pressure test must sustain at least "
              + perSecond(indicator.historicalPeak * required)
              + " ("
              + ratio(required)
              + " the historical peak of "
              + perSecond(indicator.historicalPeak)
              + ")");
    } else {
      event.message(
          indicator.name
              + " headroom "
              + ratio(headroom)
              + " is below the required "
              + ratio(required)
              + ": "
              + basis.label()
              + " "
              + perSecond(indicator.capacity())
              + ", historical peak "
              + perSecond(indicator.historicalPeak));
    }
    events.publish(event);
  }

  private void save() {
    Path store = settings.store();
    if (store == null) {
      storeDirty = false;
      return;
    }
    Map<String, CapacityStore.Stored> all = new LinkedHashMap<>();
    for (Indicator indicator : indicators.values()) {
      all.put(
          indicator.name,
          new CapacityStore.Stored(
              new TreeMap<>(indicator.days),
              indicator.tested,
              indicator.testedAt,
              indicator.testedSource));
    }
    all.putAll(undeclared);
    try {
      CapacityStore.write(store, all);
      storeDirty = false;
      storeFailing = false;
    } catch (IOException | RuntimeException e) {
      if (!storeFailing) {
        storeFailing = true;
        events.publish(
            LogRecord.builder(StabilityEventCode.CAPACITY_STORE_WRITE_FAILED)
                .message("capacity store " + store + " could not be written: " + e)
                .error(e)
                .attr("store", store.toString()));
      }
    }
  }

  /**
   * {@code capacity} (trading readiness, grade 2): UNKNOWN for an indicator with neither a tested
   * nor a provisioned capacity, DEGRADED when an indicator's headroom is below its required
   * multiple, else UP; the details name each indicator's headroom, required multiple and which
   * capacity it is measured against. An indicator without a historical peak yet has no headroom:
   * the reason says so and claims none for it.
   */
  public HealthCheck healthCheck() {
    return HealthCheck.of("capacity", HealthKind.TRADING_READINESS, 2, () -> withSources(assess()));
  }

  /**
   * DEGRADED, naming the indicator and what failed, while an indicator fed from interface counters
   * cannot read them: its rate and peaks are not being measured. Otherwise {@code result}.
   */
  private HealthResult withSources(HealthResult result) {
    List<String> problems = new ArrayList<>();
    for (Indicator indicator : indicators.values()) {
      String problem = indicator.sourceProblem;
      if (problem != null) {
        problems.add(indicator.name + " is not measured (" + problem + ")");
      }
    }
    if (problems.isEmpty()) {
      return result;
    }
    HealthStatus status =
        result.status() == HealthStatus.DOWN ? HealthStatus.DOWN : HealthStatus.DEGRADED;
    return new HealthResult(
        status, String.join("; ", problems) + "; " + result.reason(), result.details());
  }

  private HealthResult assess() {
    List<Indicator> low = new ArrayList<>();
    List<String> untested = new ArrayList<>();
    List<String> provisioned = new ArrayList<>();
    List<String> peaked = new ArrayList<>();
    List<String> noPeak = new ArrayList<>();
    Set<Double> multiples = new LinkedHashSet<>();
    HealthResult result = HealthResult.up();
    for (Indicator indicator : indicators.values()) {
      double headroom = indicator.headroom();
      CapacityBasis basis = indicator.capacityBasis();
      result =
          result
              .withDetail(indicator.name + ".headroom", round(headroom))
              .withDetail(indicator.name + ".required", round(indicator.required))
              .withDetail(indicator.name + ".basis", basis.label());
      if (indicator.networkInterface != null) {
        result =
            result.withDetail(
                indicator.name + ".source", "interface " + indicator.networkInterface);
      }
      if (basis == CapacityBasis.NONE) {
        untested.add(indicator.name);
      } else if (!(indicator.historicalPeak > 0)) {
        noPeak.add(indicator.name);
      } else {
        peaked.add(indicator.name);
        multiples.add(indicator.required);
        if (!(headroom >= indicator.required)) {
          low.add(indicator);
        }
      }
      if (basis == CapacityBasis.PROVISIONED) {
        provisioned.add(indicator.name);
      }
    }
    String against =
        provisioned.isEmpty()
            ? ""
            : "; " + String.join(", ", provisioned) + " against provisioned capacity";
    String unmeasured =
        noPeak.isEmpty()
            ? ""
            : "no historical peak yet for "
                + String.join(", ", noPeak)
                + ", so no headroom can be computed for "
                + (noPeak.size() == 1 ? "it" : "them")
                + " (measured in trading, or seeded with raiseHistoricalPeak)";
    if (!low.isEmpty()) {
      Set<Double> lowMultiples = new LinkedHashSet<>();
      low.forEach(i -> lowMultiples.add(i.required));
      List<String> named = new ArrayList<>();
      for (Indicator i : low) {
        named.add(
            i.name
                + " "
                + ratio(i.headroom())
                + (lowMultiples.size() == 1 ? "" : " < " + ratio(i.required)));
      }
      return new HealthResult(
          HealthStatus.DEGRADED,
          "headroom below "
              + (lowMultiples.size() == 1
                  ? ratio(lowMultiples.iterator().next())
                  : "the required multiple")
              + ": "
              + String.join(", ", named)
              + (unmeasured.isEmpty() ? "" : "; " + unmeasured)
              + against,
          result.details());
    }
    if (!untested.isEmpty()) {
      return new HealthResult(
          HealthStatus.UNKNOWN,
          "no pressure test recorded for " + String.join(", ", untested),
          result.details());
    }
    if (peaked.isEmpty()) {
      return new HealthResult(
          HealthStatus.UP,
          unmeasured.isEmpty() ? "no capacity indicators declared" : unmeasured + against,
          result.details());
    }
    String required;
    if (multiples.size() <= 1) {
      required = ratio(multiples.iterator().next());
    } else {
      List<String> each = new ArrayList<>();
      for (String name : peaked) {
        each.add(name + " " + ratio(indicators.get(name).required));
      }
      required = "the required multiple (" + String.join(", ", each) + ")";
    }
    String where;
    if (noPeak.isEmpty()) {
      where = " everywhere";
    } else if (multiples.size() == 1) {
      where = " for " + String.join(", ", peaked) + "; " + unmeasured;
    } else {
      where = "; " + unmeasured; // the multiples' list names the indicators
    }
    return new HealthResult(
        HealthStatus.UP, "headroom at least " + required + where + against, result.details());
  }

  /** Stops sampling and writes what the store has not seen yet. */
  @Override
  public void close() {
    if (sampling != null) {
      sampling.cancel(false);
    }
    synchronized (this) {
      if (storeDirty) {
        save();
      }
    }
  }

  private static String perSecond(double rate) {
    return String.format(Locale.ROOT, "%.1f/s", rate);
  }

  private static String ratio(double value) {
    return Double.isNaN(value) ? "undefined" : String.format(Locale.ROOT, "%.2fx", value);
  }

  private static String round(double value) {
    return Double.isNaN(value) ? "NaN" : String.format(Locale.ROOT, "%.2f", value);
  }

  /** One indicator: the hot path is {@link #record()}; the rest is written under the monitor. */
  private final class Indicator implements CapacityIndicator {
    final String name;
    final LongAdder units = new LongAdder();
    volatile double rate;
    volatile double peakToday;
    volatile double historicalPeak;
    volatile double tested;
    final double provisioned;
    final double required;

    /** Per trading day, that day's peak; the days of the window only (under the monitor). */
    final TreeMap<LocalDate, CapacityStore.DayPeak> days = new TreeMap<>();

    String peakAt;
    String testedAt;
    String testedSource;
    long lastSum;
    long lastTick;
    Boolean low;
    boolean peakPending;
    double pendingPeakFrom;
    long lastPeakEventTick = Long.MIN_VALUE;

    /** The network interface feeding this indicator, or null (set at construction). */
    String networkInterface;

    /** The interface's bytes at the last read (under the monitor). */
    long interfaceBytes;

    /** Why the interface counters could not be read at the last sample, or null. */
    volatile String sourceProblem;

    Indicator(String name, long now, CapacityStore.Stored stored) {
      this.name = name;
      this.lastTick = now;
      this.provisioned = settings.provisionedCapacity(name).orElse(0);
      this.required = settings.requiredMultiple(name);
      if (stored != null) {
        this.days.putAll(stored.days());
        this.tested = stored.tested();
        this.testedAt = stored.testedAt();
        this.testedSource = stored.testedSource();
      }
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void record() {
      units.increment();
    }

    @Override
    public void record(long count) {
      if (count < 0) {
        throw new IllegalArgumentException(
            "capacity indicator '" + name + "': units must be >= 0, got " + count);
      }
      units.add(count);
    }

    @Override
    public long total() {
      return units.sum();
    }

    @Override
    public double rate() {
      return rate;
    }

    @Override
    public double peakToday() {
      return peakToday;
    }

    @Override
    public double historicalPeak() {
      return historicalPeak;
    }

    @Override
    public double testedCapacity() {
      return tested;
    }

    @Override
    public double provisionedCapacity() {
      return provisioned;
    }

    @Override
    public double capacity() {
      double t = tested;
      return t > 0 ? t : provisioned;
    }

    @Override
    public CapacityBasis capacityBasis() {
      return tested > 0
          ? CapacityBasis.TESTED
          : provisioned > 0 ? CapacityBasis.PROVISIONED : CapacityBasis.NONE;
    }

    @Override
    public double requiredMultiple() {
      return required;
    }

    @Override
    public double headroom() {
      double peak = historicalPeak;
      return peak > 0 ? capacity() / peak : Double.NaN;
    }

    @Override
    public void recordTested(double unitsPerSecond, String source) {
      if (!(unitsPerSecond > 0) || Double.isInfinite(unitsPerSecond)) {
        throw new IllegalArgumentException(
            "capacity indicator '"
                + name
                + "': tested capacity must be a positive, finite rate per second, got "
                + unitsPerSecond);
      }
      tested(this, unitsPerSecond, source);
    }

    @Override
    public void raiseHistoricalPeak(double unitsPerSecond) {
      checkPeak(unitsPerSecond);
      raise(this, unitsPerSecond, null);
    }

    @Override
    public void raiseHistoricalPeak(double unitsPerSecond, LocalDate day) {
      checkPeak(unitsPerSecond);
      if (day == null) {
        throw new IllegalArgumentException(
            "capacity indicator '" + name + "': the trading day of a declared peak must be set");
      }
      raise(this, unitsPerSecond, day);
    }

    private void checkPeak(double unitsPerSecond) {
      if (!(unitsPerSecond >= 0) || Double.isInfinite(unitsPerSecond)) {
        throw new IllegalArgumentException(
            "capacity indicator '"
                + name
                + "': a historical peak must be a finite rate per second >= 0, got "
                + unitsPerSecond);
      }
    }

    @Override
    public String toString() {
      return "CapacityIndicator[" + name + "]";
    }
  }
}
