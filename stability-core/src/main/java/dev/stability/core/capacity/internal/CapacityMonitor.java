package dev.stability.core.capacity.internal;

import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.health.HealthCheck;
import dev.stability.api.health.HealthKind;
import dev.stability.api.health.HealthResult;
import dev.stability.api.health.HealthStatus;
import dev.stability.api.metric.StabilityMetric;
import dev.stability.core.capacity.Capacity;
import dev.stability.core.capacity.CapacityIndicator;
import dev.stability.core.capacity.CapacitySettings;
import dev.stability.core.capacity.CapacityStoreException;
import dev.stability.core.event.Events;
import dev.stability.core.internal.RuntimeContext;
import dev.stability.core.internal.RuntimeTimer;
import dev.stability.core.internal.SdkMeters;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Samples every indicator's striped counter once a second off the callers' threads and keeps the
 * rates, peaks and headroom; everything but {@link Indicator#record} runs under this monitor's lock
 * on the rare path. Internal: reached through {@link Capacity}.
 */
public final class CapacityMonitor implements Capacity, AutoCloseable {

  /** A sample closer than this to the previous one is skipped: rates are over full seconds. */
  private static final long MIN_SAMPLE_NANOS = 950_000_000L;

  private static final long PEAK_EVENT_INTERVAL_NANOS = 60_000_000_000L;

  private final CapacitySettings settings;
  private final Events events;
  private final Clock clock;
  private final LongSupplier ticker;
  private final Map<String, Indicator> indicators = new LinkedHashMap<>();
  private final Map<String, CapacityStore.Stored> undeclared = new LinkedHashMap<>();
  private final ScheduledFuture<?> sampling;
  private static final long SAVE_INTERVAL_NANOS = 5_000_000_000L;
  private boolean storeDirty;
  private long lastSaveTick = Long.MIN_VALUE;
  private boolean storeFailing;

  /**
   * Loads the store and starts sampling on {@code timer} (unless {@code sampleOnTimer} is false).
   *
   * @throws CapacityStoreException if the store exists but cannot be read
   */
  public CapacityMonitor(CapacitySettings settings, RuntimeContext context) {
    this.settings = settings;
    this.events = context.events();
    this.clock = context.clock();
    this.ticker = context.ticker();
    SdkMeters meters = context.meters();
    RuntimeTimer timer = context.timer();
    boolean sampleOnTimer = context.background();
    Map<String, CapacityStore.Stored> stored = load(settings.store());
    long now = ticker.getAsLong();
    LocalDate today = LocalDate.now(clock);
    for (String name : settings.indicators()) {
      Indicator indicator = new Indicator(name, now, today, stored.remove(name));
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
    synchronized (this) {
      for (Indicator indicator : indicators.values()) {
        evaluateHeadroom(indicator);
      }
    }
    this.sampling =
        sampleOnTimer && !indicators.isEmpty()
            ? timer.every(Duration.ofSeconds(1), Duration.ofSeconds(1), this::sample)
            : null;
  }

  private Map<String, CapacityStore.Stored> load(Path store) {
    if (store == null) {
      return new LinkedHashMap<>();
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
      return CapacityStore.read(store);
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
  public synchronized void sample() {
    long now = ticker.getAsLong();
    LocalDate today = LocalDate.now(clock);
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
      if (!today.equals(indicator.day)) {
        indicator.day = today;
        indicator.peakToday = 0;
      }
      if (rate > indicator.peakToday) {
        indicator.peakToday = rate;
      }
      if (rate > indicator.historicalPeak) {
        indicator.pendingPeakFrom =
            indicator.peakPending ? indicator.pendingPeakFrom : indicator.historicalPeak;
        indicator.peakPending = true;
        indicator.historicalPeak = rate;
        indicator.peakAt = clock.instant().toString();
        storeDirty = true;
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
  public synchronized java.util.List<CapacityState> capture() {
    java.util.List<CapacityState> states = new java.util.ArrayList<>();
    for (Indicator i : indicators.values()) {
      states.add(
          new CapacityState(
              i.name,
              i.historicalPeak,
              i.peakAt,
              i.tested,
              i.testedAt,
              i.testedSource,
              i.peakToday,
              i.day.toString()));
    }
    return states;
  }

  /**
   * Takes over the primary's capacity history at a switch: the higher historical peak, the more
   * recent tested capacity, and today's peak if it is the same day; stored at once. Returns what
   * was applied, for the inheritance record, or null if the indicator is not declared here.
   */
  public synchronized String inherit(CapacityState state) {
    Indicator indicator = indicators.get(state.name());
    if (indicator == null) {
      return null;
    }
    StringBuilder applied = new StringBuilder();
    if (state.historicalPeak() > indicator.historicalPeak) {
      indicator.historicalPeak = state.historicalPeak();
      indicator.peakAt = state.peakAt();
      applied.append("historical peak ").append(perSecond(state.historicalPeak()));
    }
    if (state.tested() > 0 && newer(state.testedAt(), indicator.testedAt)) {
      indicator.tested = state.tested();
      indicator.testedAt = state.testedAt();
      indicator.testedSource = state.testedSource();
      applied
          .append(applied.length() == 0 ? "" : ", ")
          .append("tested ")
          .append(perSecond(state.tested()));
    }
    if (indicator.day.toString().equals(state.day()) && state.peakToday() > indicator.peakToday) {
      indicator.peakToday = state.peakToday();
      applied
          .append(applied.length() == 0 ? "" : ", ")
          .append("peak today ")
          .append(perSecond(state.peakToday()));
    }
    if (applied.length() > 0) {
      storeDirty = true;
      save();
      evaluateHeadroom(indicator);
    }
    return applied.length() == 0 ? "already as high here" : applied.toString();
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

  private synchronized void raise(Indicator indicator, double rate) {
    if (rate > indicator.historicalPeak) {
      indicator.historicalPeak = rate;
      indicator.peakAt = clock.instant().toString();
      storeDirty = true;
      save();
      evaluateHeadroom(indicator);
    }
  }

  /** Publishes LOW on entering the low state (also at start) and RESTORED on leaving it. */
  private void evaluateHeadroom(Indicator indicator) {
    double headroom = indicator.headroom();
    boolean low = indicator.historicalPeak > 0 && !(headroom >= settings.requiredHeadroom());
    Boolean before = indicator.low;
    indicator.low = low;
    if (before == null ? !low : before == low) {
      return;
    }
    LogRecord.Builder event =
        LogRecord.builder(
                low
                    ? StabilityEventCode.CAPACITY_HEADROOM_LOW
                    : StabilityEventCode.CAPACITY_HEADROOM_RESTORED)
            .attr("indicator", indicator.name)
            .attr("headroom", round(headroom))
            .attr("required", round(settings.requiredHeadroom()))
            .attr("tested", round(indicator.tested))
            .attr("peak", round(indicator.historicalPeak));
    if (!low) {
      event.message(
          indicator.name
              + " headroom "
              + ratio(headroom)
              + " is back at or above the required "
              + ratio(settings.requiredHeadroom()));
    } else if (indicator.tested == 0) {
      event.message(
          indicator.name
              + " has no tested capacity: a pressure test must sustain at least "
              + perSecond(indicator.historicalPeak * settings.requiredHeadroom())
              + " ("
              + ratio(settings.requiredHeadroom())
              + " the historical peak of "
              + perSecond(indicator.historicalPeak)
              + ")");
    } else {
      event.message(
          indicator.name
              + " headroom "
              + ratio(headroom)
              + " is below the required "
              + ratio(settings.requiredHeadroom())
              + ": tested "
              + perSecond(indicator.tested)
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
              indicator.historicalPeak,
              indicator.peakAt,
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
   * {@code capacity} (trading readiness, grade 2): UNKNOWN for an indicator never pressure tested,
   * DEGRADED when headroom is below the required multiple, else UP.
   */
  public HealthCheck healthCheck() {
    return HealthCheck.of(
        "capacity",
        HealthKind.TRADING_READINESS,
        2,
        () -> {
          List<String> low = new ArrayList<>();
          List<String> untested = new ArrayList<>();
          HealthResult result = HealthResult.up();
          for (Indicator indicator : indicators.values()) {
            double headroom = indicator.headroom();
            result = result.withDetail(indicator.name + ".headroom", round(headroom));
            if (indicator.tested == 0) {
              untested.add(indicator.name);
            } else if (indicator.historicalPeak > 0 && !(headroom >= settings.requiredHeadroom())) {
              low.add(indicator.name + " " + ratio(headroom));
            }
          }
          String required = ratio(settings.requiredHeadroom());
          if (!low.isEmpty()) {
            return new HealthResult(
                HealthStatus.DEGRADED,
                "headroom below " + required + ": " + String.join(", ", low),
                result.details());
          }
          if (!untested.isEmpty()) {
            return new HealthResult(
                HealthStatus.UNKNOWN,
                "no pressure test recorded for " + String.join(", ", untested),
                result.details());
          }
          return new HealthResult(
              HealthStatus.UP, "headroom at least " + required + " everywhere", result.details());
        });
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
    String peakAt;
    String testedAt;
    String testedSource;
    long lastSum;
    long lastTick;
    LocalDate day;
    Boolean low;
    boolean peakPending;
    double pendingPeakFrom;
    long lastPeakEventTick = Long.MIN_VALUE;

    Indicator(String name, long now, LocalDate today, CapacityStore.Stored stored) {
      this.name = name;
      this.lastTick = now;
      this.day = today;
      if (stored != null) {
        this.historicalPeak = stored.historicalPeak();
        this.peakAt = stored.peakAt();
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
    public double headroom() {
      double peak = historicalPeak;
      return peak > 0 ? tested / peak : Double.NaN;
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
      if (!(unitsPerSecond >= 0) || Double.isInfinite(unitsPerSecond)) {
        throw new IllegalArgumentException(
            "capacity indicator '"
                + name
                + "': a historical peak must be a finite rate per second >= 0, got "
                + unitsPerSecond);
      }
      raise(this, unitsPerSecond);
    }

    @Override
    public String toString() {
      return "CapacityIndicator[" + name + "]";
    }
  }
}
