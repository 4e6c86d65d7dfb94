package dev.stability.testkit.discovery;

import dev.stability.api.event.Level;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.health.HealthKind;
import dev.stability.api.health.HealthStatus;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.health.HealthReport;
import dev.stability.testkit.RecordingEventSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A fault-discovery-rate campaign (R13): injects each fault scenario in turn and records whether
 * the application's own monitoring noticed it within a time bound, and how fast. Monitoring means
 * what operations watch: a WARN or ERROR event in the runtime's output (a health change for the
 * better is a recovery, not a detection), a health kind (liveness, readiness, trading readiness)
 * worse than it was when the campaign started, or an alert the application declares (a metric
 * threshold). The campaign reads the events through a {@link RecordingEventSink} attached to the
 * runtime, and polls health every 20 ms. The detection time runs from the injection to the first
 * signal (the heal is not counted). Between scenarios it heals the fault and waits until health is
 * back where it started and no alert fires, for longer than the health cache.
 *
 * <pre>{@code
 * DiscoveryReport report = DiscoveryCampaign.builder(runtime, sink).within(Duration.ofSeconds(2))
 *     .scenario("exchange errors", () -> exchange.fail(true), () -> exchange.fail(false))
 *     .scenario("hung risk check", risk::hang, risk::release)
 *     .run();
 * report.assertRate(0.9);
 * }</pre>
 */
public final class DiscoveryCampaign {

  /**
   * One fault.
   *
   * @param name what the fault is
   * @param inject starts it
   * @param heal ends it (run even if injecting or watching fails)
   */
  public record Scenario(String name, Runnable inject, Runnable heal) {}

  private final StabilityRuntime runtime;
  private final RecordingEventSink sink;
  private final Duration within;
  private final List<Scenario> scenarios;
  private final java.util.Map<String, java.util.function.BooleanSupplier> detectors;
  private final java.util.Map<HealthKind, HealthStatus> baseline = new EnumMap<>(HealthKind.class);

  private DiscoveryCampaign(Builder builder) {
    this.runtime = builder.runtime;
    this.sink = builder.sink;
    this.within = builder.within;
    this.scenarios = List.copyOf(builder.scenarios);
    this.detectors = java.util.Map.copyOf(builder.detectors);
  }

  /** Starts a campaign against {@code runtime}, whose events reach {@code sink}. */
  public static Builder builder(StabilityRuntime runtime, RecordingEventSink sink) {
    return new Builder(runtime, sink);
  }

  /** Runs every scenario in order. */
  public DiscoveryReport run() throws InterruptedException {
    baseline.clear();
    for (HealthKind kind : HealthKind.values()) {
      baseline.put(kind, runtime.health().report(kind).status());
    }
    List<DiscoveryReport.Result> results = new ArrayList<>();
    for (Scenario scenario : scenarios) {
      settle(scenario.name());
      int seen = sink.records().size();
      long start = System.nanoTime();
      long took = 0;
      Optional<String> signal = Optional.empty();
      try {
        scenario.inject().run();
        long deadline = start + within.toNanos();
        while (signal.isEmpty() && System.nanoTime() < deadline) {
          signal = eventSignal(seen).or(this::healthSignal).or(this::detectorSignal);
          if (signal.isEmpty()) {
            Thread.sleep(20);
          } else {
            took = System.nanoTime() - start; // detected now, before the heal
          }
        }
      } finally {
        scenario.heal().run();
      }
      results.add(
          new DiscoveryReport.Result(
              scenario.name(),
              signal.isPresent(),
              signal.isPresent() ? Duration.ofNanos(took) : null,
              signal.orElse("nothing within " + within.toMillis() + " ms")));
    }
    return new DiscoveryReport(within, results);
  }

  private Optional<String> eventSignal(int seen) {
    List<LogRecord> records = sink.records();
    for (int i = seen; i < records.size(); i++) {
      LogRecord record = records.get(i);
      if ((record.level() == Level.WARN || record.level() == Level.ERROR) && !isRecovery(record)) {
        return Optional.of("event " + record.code() + ": " + record.message());
      }
    }
    return Optional.empty();
  }

  /** A health change for the better is a recovery (of an earlier fault), never a detection. */
  private static boolean isRecovery(LogRecord record) {
    if (!record.code().equals(StabilityEventCode.HEALTH_STATUS_CHANGED.code())) {
      return false;
    }
    try {
      return severity(HealthStatus.valueOf(record.attrs().get("to")))
          < severity(HealthStatus.valueOf(record.attrs().get("from")));
    } catch (IllegalArgumentException | NullPointerException notAStatus) {
      return false;
    }
  }

  /** Any kind of health worse than it was when the campaign started. */
  private Optional<String> healthSignal() {
    for (HealthKind kind : HealthKind.values()) {
      HealthReport report = runtime.health().report(kind);
      if (severity(report.status()) > severity(baseline.getOrDefault(kind, HealthStatus.UP))) {
        return Optional.of(
            "health "
                + kind.label()
                + " "
                + report.status()
                + ": "
                + report.failures().stream().map(c -> c.name() + " " + c.reason()).toList());
      }
    }
    return Optional.empty();
  }

  private static int severity(HealthStatus status) {
    return switch (status) {
      case UP -> 0;
      case DEGRADED, UNKNOWN -> 1;
      case DOWN -> 2;
    };
  }

  private Optional<String> detectorSignal() {
    for (java.util.Map.Entry<String, java.util.function.BooleanSupplier> d : detectors.entrySet()) {
      if (d.getValue().getAsBoolean()) {
        return Optional.of("alert " + d.getKey());
      }
    }
    return Optional.empty();
  }

  /**
   * Waits (up to the bound) until nothing signals, so a scenario is never credited with an earlier
   * fault's leftovers.
   *
   * @throws IllegalStateException if the monitoring still signals after the bound
   */
  private void settle(String next) throws InterruptedException {
    // Quiet for longer than the health cache: a cached answer from before the last fault cannot
    // pass for a healed state.
    long quiet = runtime.health().cacheFor().toNanos() + 50_000_000L;
    long deadline = System.nanoTime() + within.toNanos() + quiet;
    long quietSince = -1;
    Optional<String> leftover = Optional.empty();
    while (System.nanoTime() < deadline) {
      leftover = healthSignal().or(this::detectorSignal);
      long now = System.nanoTime();
      if (leftover.isPresent()) {
        quietSince = -1;
      } else if (quietSince < 0) {
        quietSince = now;
      } else if (now - quietSince >= quiet) {
        break;
      }
      Thread.sleep(20);
    }
    if (leftover.isPresent()) {
      throw new IllegalStateException(
          "cannot start scenario '"
              + next
              + "': the monitoring still signals "
              + leftover.get()
              + " (an earlier fault is not healed, or the system was not healthy to begin with)");
    }
    runtime.events().awaitDelivery(within);
  }

  /** Builds a {@link DiscoveryCampaign}. */
  public static final class Builder {
    private final StabilityRuntime runtime;
    private final RecordingEventSink sink;
    private Duration within = Duration.ofSeconds(5);
    private final List<Scenario> scenarios = new ArrayList<>();
    private final java.util.Map<String, java.util.function.BooleanSupplier> detectors =
        new java.util.LinkedHashMap<>();

    private Builder(StabilityRuntime runtime, RecordingEventSink sink) {
      this.runtime = Objects.requireNonNull(runtime, "runtime");
      this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** How soon monitoring must notice a fault to count as discovered (default 5 s). */
    public Builder within(Duration value) {
      this.within = value;
      return this;
    }

    /**
     * Adds an alert the application's monitoring has besides events and health, such as a metric
     * threshold ({@code () -> registry.get("...").gauge().value() > 0.9}): it counts as detection
     * when it is true.
     */
    public Builder detector(String name, java.util.function.BooleanSupplier alert) {
      detectors.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(alert, "alert"));
      return this;
    }

    /** Adds a fault scenario. */
    public Builder scenario(String name, Runnable inject, Runnable heal) {
      scenarios.add(
          new Scenario(
              Objects.requireNonNull(name, "name"),
              Objects.requireNonNull(inject, "inject"),
              Objects.requireNonNull(heal, "heal")));
      return this;
    }

    /**
     * Builds the campaign.
     *
     * @throws IllegalArgumentException if there is no scenario or the bound is not positive
     */
    public DiscoveryCampaign build() {
      if (scenarios.isEmpty()) {
        throw new IllegalArgumentException(
            "a discovery campaign needs at least one fault scenario");
      }
      if (within == null || within.isNegative() || within.isZero()) {
        throw new IllegalArgumentException("the detection bound must be positive, got " + within);
      }
      return new DiscoveryCampaign(this);
    }
  }
}
