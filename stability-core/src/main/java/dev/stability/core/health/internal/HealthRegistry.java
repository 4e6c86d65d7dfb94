package dev.stability.core.health.internal;

import dev.stability.api.ConfigurationException;
import dev.stability.api.ServiceIdentity;
import dev.stability.api.event.Level;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.Outcome;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.health.HealthCheck;
import dev.stability.api.health.HealthKind;
import dev.stability.api.health.HealthResult;
import dev.stability.api.health.HealthStatus;
import dev.stability.api.metric.StabilityMetric;
import dev.stability.core.event.Events;
import dev.stability.core.health.CheckResult;
import dev.stability.core.health.Health;
import dev.stability.core.health.HealthReport;
import dev.stability.core.health.HealthSettings;
import dev.stability.core.internal.DaemonThreads;
import dev.stability.core.internal.RuntimeContext;
import dev.stability.core.internal.RuntimeTimer;
import dev.stability.core.internal.SdkMeters;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Runs registered checks on its own daemon threads, each bounded by a timeout armed on the runtime
 * timer, so that no waiter blocks longer than the timeout and a hung check is never started again
 * while it hangs (it cannot pile up threads). Results, gauges and change events go through one
 * {@code complete} path per check. Internal: reached through {@link Health}.
 */
public final class HealthRegistry implements Health, AutoCloseable {

  /** The reserved check name of the aggregate gauges and events. */
  public static final String AGGREGATE = "all";

  private final HealthSettings settings;
  private final ServiceIdentity identity;
  private final Events events;
  private final SdkMeters meters;
  private final Clock clock;
  private final LongSupplier ticker;
  private final RuntimeTimer timer;
  private final ThreadPoolExecutor executor;
  private final Map<String, Entry> byName = new ConcurrentHashMap<>();
  private final List<Entry> entries = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();

  /** Last published aggregate per kind; guarded by {@link #lock}. */
  private final Map<HealthKind, HealthStatus> aggregates = new EnumMap<>(HealthKind.class);

  private final ScheduledFuture<?> polling;

  /**
   * Creates the registry; polls on {@code timer} unless {@code poll} is false or the settings turn
   * polling off.
   */
  public HealthRegistry(HealthSettings settings, RuntimeContext context) {
    this.settings = settings;
    this.identity = context.identity();
    this.events = context.events();
    this.meters = context.meters();
    this.clock = context.clock();
    this.ticker = context.ticker();
    this.timer = context.timer();
    boolean poll = context.background();
    this.executor =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            DaemonThreads.named("stability-health-" + identity.instanceId()));
    for (HealthKind kind : HealthKind.values()) {
      aggregates.put(kind, HealthStatus.UNKNOWN);
      meters.gauge(
          StabilityMetric.HEALTH_STATUS,
          kind,
          k -> aggregate(k).gaugeValue(),
          "check",
          AGGREGATE,
          "kind",
          kind.label());
    }
    this.polling =
        poll && !settings.pollEvery().isZero()
            ? timer.every(settings.pollEvery(), settings.pollEvery(), this::poll)
            : null;
  }

  @Override
  public void register(HealthCheck check) {
    register(check, settings.timeout());
  }

  @Override
  public void register(HealthCheck check, Duration timeout) {
    String key = "health.checks." + (check == null ? null : check.name());
    if (check == null) {
      throw new ConfigurationException("health.checks", null, "must not be null");
    }
    String name = check.name();
    if (name == null || !HealthCheck.NAME_PATTERN.matcher(name).matches()) {
      throw new ConfigurationException(
          "health.checks",
          name,
          "a check name must be lower case letters, digits, '.', '_' or '-', 1-64 characters");
    }
    if (AGGREGATE.equals(name)) {
      throw new ConfigurationException(
          "health.checks", name, "is reserved for the aggregate of each kind");
    }
    if (check.kind() == null) {
      throw new ConfigurationException(key + ".kind", null, "must be set");
    }
    if (check.grade() < 1 || check.grade() > 4) {
      throw new ConfigurationException(key + ".grade", check.grade(), "must be between 1 and 4");
    }
    if (timeout == null
        || timeout.toMillis() < 1
        || timeout.compareTo(Duration.ofSeconds(60)) > 0) {
      throw new ConfigurationException(key + ".timeout", timeout, "must be between 1 ms and 60 s");
    }
    Entry entry = new Entry(check, timeout);
    if (byName.putIfAbsent(name, entry) != null) {
      throw new ConfigurationException("health.checks", name, "must be registered only once");
    }
    entry.duration = meters.timer(StabilityMetric.HEALTH_CHECK_DURATION, "check", name);
    meters.gauge(
        StabilityMetric.HEALTH_STATUS,
        entry,
        e -> e.last.status().gaugeValue(),
        "check",
        name,
        "kind",
        check.kind().label());
    entries.add(entry);
  }

  @Override
  public Duration cacheFor() {
    return settings.cacheFor();
  }

  @Override
  public List<CheckResult> lastResults() {
    return entries.stream().map(e -> e.last).toList();
  }

  /** The last answer of every check that has run, for a warm standby. */
  public List<HealthState> capture() {
    List<HealthState> states = new ArrayList<>();
    for (Entry entry : entries) {
      CheckResult last = entry.last;
      if (last.checkedAt() != null) {
        states.add(
            new HealthState(
                last.name(), last.status(), last.reason(), last.checkedAt().toString()));
      }
    }
    return states;
  }

  /**
   * Shows the primary's last answer for a check that has not run here yet, marked as inherited,
   * until the check's own first run replaces it. Returns what was applied, or null if no check of
   * that name is registered here.
   */
  public String inherit(HealthState state, String from, String age) {
    Entry entry = byName.get(state.name());
    if (entry == null) {
      return null;
    }
    CheckResult last = entry.last;
    if (last.checkedAt() != null) {
      return "checked here already (" + last.status() + ")";
    }
    entry.last =
        new CheckResult(
            last.name(),
            last.kind(),
            last.grade(),
            state.status(),
            "inherited from " + from + " (" + age + " old): " + state.reason(),
            Map.of("inherited", true, "from", from, "checked_at", state.checkedAt()),
            Duration.ZERO,
            null);
    return state.status() + ", inherited";
  }

  @Override
  public CheckResult check(String name) {
    Entry entry = byName.get(name);
    if (entry == null) {
      throw new IllegalArgumentException(
          "no health check named '" + name + "'; known: " + byName.keySet());
    }
    return await(entry, start(entry, false));
  }

  @Override
  public HealthReport report(HealthKind kind) {
    return run(kind.label(), entries.stream().filter(e -> e.check.kind() == kind).toList(), false);
  }

  @Override
  public HealthReport tradingReadiness() {
    HealthReport report =
        run(
            HealthKind.TRADING_READINESS.label(),
            entries.stream().filter(e -> e.check.kind() != HealthKind.LIVENESS).toList(),
            true);
    List<CheckResult> failures = report.failures();
    LogRecord.Builder event =
        LogRecord.builder(
                failures.isEmpty()
                    ? StabilityEventCode.TRADING_READINESS_PASSED
                    : StabilityEventCode.TRADING_READINESS_FAILED)
            .outcome(failures.isEmpty() ? Outcome.SUCCESS : Outcome.FAILURE)
            .durationMicros(report.duration().toNanos() / 1_000)
            .attr("checks", report.checks().size())
            .attr("failed", failures.size())
            .attr("status", report.status().name());
    if (failures.isEmpty()) {
      event.message("trading readiness passed: " + report.checks().size() + " checks UP");
    } else {
      event
          .message(
              "trading readiness failed: "
                  + failures.stream()
                      .map(c -> c.name() + " " + c.status() + " (" + c.reason() + ")")
                      .collect(Collectors.joining("; ")))
          .attr("failed_checks", failures.stream().map(CheckResult::name).toList().toString());
    }
    events.publish(event);
    return report;
  }

  private HealthReport run(String scope, List<Entry> selected, boolean fresh) {
    OffsetDateTime startedAt = OffsetDateTime.now(clock);
    long start = System.nanoTime();
    List<Run> runs = new ArrayList<>(selected.size());
    for (Entry entry : selected) {
      runs.add(start(entry, fresh));
    }
    List<CheckResult> results = new ArrayList<>(selected.size());
    HealthStatus worst = HealthStatus.UP;
    for (int i = 0; i < selected.size(); i++) {
      CheckResult result = await(selected.get(i), runs.get(i));
      results.add(result);
      worst = worse(worst, result.effectiveStatus());
    }
    return new HealthReport(
        scope,
        identity.systemCode(),
        identity.instanceId(),
        worst,
        results,
        startedAt,
        Duration.ofNanos(System.nanoTime() - start));
  }

  /** Background poll: starts every stale check; the timeouts armed per run catch hangs. */
  private void poll() {
    for (Entry entry : entries) {
      start(entry, false);
    }
  }

  /**
   * The run answering for {@code entry} now: a fresh cached one, the one in flight, or a new one.
   */
  private Run start(Entry entry, boolean fresh) {
    synchronized (lock) {
      Run current = entry.current;
      if (current != null && !current.finished) {
        // In flight, or hung past its timeout: never start a second copy of the same check.
        return current;
      }
      long now = ticker.getAsLong();
      if (!fresh
          && current != null
          && entry.last.checkedAt() != null
          && now - entry.lastTick < settings.cacheFor().toNanos()) {
        return current;
      }
      Run run = new Run(System.nanoTime());
      entry.current = run;
      try {
        executor.execute(() -> execute(entry, run));
        run.timeout = timer.after(entry.timeoutNanos, () -> timedOut(entry, run));
      } catch (RejectedExecutionException e) {
        complete(
            entry,
            run,
            HealthResult.down("health checks stopped: the runtime is closed"),
            null,
            false,
            0);
      }
      return run;
    }
  }

  private void execute(Entry entry, Run run) {
    HealthResult answer;
    Throwable error = null;
    try {
      answer = entry.check.check();
      if (answer == null) {
        answer = HealthResult.down("check returned null instead of a HealthResult");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answer = HealthResult.down("check interrupted");
    } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
      error = e;
      answer = HealthResult.down("check threw " + e.getClass().getName() + ": " + e.getMessage());
    }
    long took = System.nanoTime() - run.startNanos;
    complete(entry, run, answer, error, false, took);
  }

  private void timedOut(Entry entry, Run run) {
    complete(
        entry,
        run,
        HealthResult.down("timed out after " + entry.timeoutMillis() + " ms")
            .withDetail("timeout_ms", entry.timeoutMillis()),
        null,
        true,
        entry.timeoutNanos);
  }

  private CheckResult await(Entry entry, Run run) {
    long remaining = entry.timeoutNanos - (System.nanoTime() - run.startNanos);
    try {
      // The timer completes the run at the deadline; the slack only covers the timer's latency.
      return run.future.get(Math.max(remaining, 0) + 50_000_000L, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      timedOut(entry, run);
      return run.future.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return entry.last;
    } catch (ExecutionException e) {
      throw new IllegalStateException("health run failed unexpectedly", e.getCause());
    }
  }

  /**
   * Records the answer of a run. The first answer completes the run for its waiters; the check's
   * own answer after the timer already reported a timeout (a hung check that came back) replaces
   * that result, still DOWN, saying how late it was, so a slow check never flaps. A run that is no
   * longer the check's current one never overwrites a newer result. Events are published before
   * waiters are released, under one lock, so the order of events is the order of results.
   *
   * @param timeout whether this is the timer's timeout (not the check's own answer)
   */
  private void complete(
      Entry entry, Run run, HealthResult answer, Throwable error, boolean timeout, long took) {
    CheckResult result;
    boolean first;
    synchronized (lock) {
      if (!timeout) {
        run.finished = true; // under the lock: no new run starts before this answer is recorded
      }
      first = !run.recorded;
      boolean late = !first && !timeout && run.timedOut;
      if ((!first && !late) || entry.current != run) {
        if (first) {
          run.recorded = true;
          cancelTimer(run);
        }
        result = null;
      } else {
        if (!timeout && (late || took > entry.timeoutNanos)) {
          answer =
              HealthResult.down(
                      "timed out after "
                          + entry.timeoutMillis()
                          + " ms (answered "
                          + answer.status()
                          + " after "
                          + took / 1_000_000
                          + " ms)")
                  .withDetail("timeout_ms", entry.timeoutMillis());
        }
        long shown = Math.min(took, entry.timeoutNanos);
        result =
            new CheckResult(
                entry.check.name(),
                entry.check.kind(),
                entry.check.grade(),
                answer.status(),
                answer.reason(),
                answer.details(),
                Duration.ofNanos(shown),
                clock.instant());
        CheckResult previous = entry.last;
        entry.last = result;
        entry.lastTick = ticker.getAsLong();
        if (first) {
          run.recorded = true;
          run.timedOut = timeout;
          cancelTimer(run);
          entry.duration.record(shown, TimeUnit.NANOSECONDS);
        }
        publishChanges(entry, previous, result, error, timeout);
      }
    }
    if (first) {
      run.future.complete(result != null ? result : entry.last);
    }
  }

  private static void cancelTimer(Run run) {
    if (run.timeout != null) {
      run.timeout.cancel(false);
    }
  }

  private void publishChanges(
      Entry entry, CheckResult previous, CheckResult result, Throwable error, boolean timedOut) {
    boolean sameProblem =
        previous.status() == result.status() && previous.reason().equals(result.reason());
    String name = entry.check.name();
    if (error != null && !sameProblem) {
      events.publish(
          LogRecord.builder(StabilityEventCode.HEALTH_CHECK_FAILED)
              .message("health check " + name + " threw: " + result.reason())
              .error(error)
              .attr("check", name));
    }
    if (timedOut && !sameProblem) {
      events.publish(
          LogRecord.builder(StabilityEventCode.HEALTH_CHECK_TIMED_OUT)
              .message("health check " + name + " " + result.reason())
              .attr("check", name)
              .attr("timeout_ms", entry.timeoutMillis()));
    }
    if (previous.status() != result.status()) {
      events.publish(
          statusChanged(
                  name, entry.check.kind(), previous.status(), result.status(), result.reason())
              .attr("grade", entry.check.grade()));
    }
    HealthKind kind = entry.check.kind();
    HealthStatus now = aggregate(kind);
    HealthStatus before = aggregates.put(kind, now);
    if (before != now) {
      events.publish(
          statusChanged(
              AGGREGATE,
              kind,
              before,
              now,
              now == HealthStatus.UP
                  ? "every " + kind.label() + " check is up"
                  : worstCheck(kind)));
    }
  }

  private static LogRecord.Builder statusChanged(
      String check, HealthKind kind, HealthStatus from, HealthStatus to, String reason) {
    return LogRecord.builder(StabilityEventCode.HEALTH_STATUS_CHANGED)
        .message(
            (AGGREGATE.equals(check) ? kind.label() : "health check " + check)
                + " "
                + from
                + " -> "
                + to
                + (reason.isEmpty() ? "" : ": " + reason))
        // A recovery is a normal fact (INFO); any other change is for operations (WARN).
        .level(to == HealthStatus.UP ? Level.INFO : Level.WARN)
        .attr("check", check)
        .attr("kind", kind.label())
        .attr("from", from.name())
        .attr("to", to.name())
        .attr("reason", reason);
  }

  private HealthStatus aggregate(HealthKind kind) {
    HealthStatus worst = HealthStatus.UP;
    for (Entry entry : entries) {
      if (entry.check.kind() == kind) {
        worst = worse(worst, entry.last.effectiveStatus());
      }
    }
    return worst;
  }

  /** The check that makes the aggregate of {@code kind} what it is, for the change event. */
  private String worstCheck(HealthKind kind) {
    Entry worst = null;
    for (Entry entry : entries) {
      if (entry.check.kind() == kind
          && (worst == null
              || rank(entry.last.effectiveStatus()) > rank(worst.last.effectiveStatus()))) {
        worst = entry;
      }
    }
    return worst == null
        ? "no " + kind.label() + " check"
        : "worst check: "
            + worst.check.name()
            + " "
            + worst.last.status()
            + " ("
            + worst.last.reason()
            + ")";
  }

  private static HealthStatus worse(HealthStatus a, HealthStatus b) {
    return rank(b) > rank(a) ? b : a;
  }

  private static int rank(HealthStatus status) {
    return switch (status) {
      case UP -> 0;
      case DEGRADED, UNKNOWN -> 1;
      case DOWN -> 2;
    };
  }

  /** Stops polling and interrupts checks still running. */
  @Override
  public void close() {
    if (polling != null) {
      polling.cancel(false);
    }
    executor.shutdownNow();
  }

  private static final class Entry {
    final HealthCheck check;
    final long timeoutNanos;
    volatile CheckResult last;
    long lastTick; // guarded by lock
    Run current; // guarded by lock
    Timer duration;

    Entry(HealthCheck check, Duration timeout) {
      this.check = check;
      this.timeoutNanos = timeout.toNanos();
      this.last =
          new CheckResult(
              check.name(),
              check.kind(),
              check.grade(),
              HealthStatus.UNKNOWN,
              "not run yet",
              Map.of(),
              Duration.ZERO,
              null);
    }

    long timeoutMillis() {
      return timeoutNanos / 1_000_000;
    }
  }

  private static final class Run {
    final long startNanos;
    final CompletableFuture<CheckResult> future = new CompletableFuture<>();
    ScheduledFuture<?> timeout; // guarded by lock
    boolean recorded; // guarded by lock
    boolean timedOut; // guarded by lock
    boolean finished; // guarded by lock

    Run(long startNanos) {
      this.startNanos = startNanos;
    }
  }
}
