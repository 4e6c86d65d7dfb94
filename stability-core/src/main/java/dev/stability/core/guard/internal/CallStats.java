package dev.stability.core.guard.internal;

import dev.stability.api.event.Outcome;
import dev.stability.api.metric.StabilityMetric;
import dev.stability.core.internal.SdkMeters;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Count and total latency of a guard's calls per outcome, in striped counters (two uncontended adds
 * per call, no allocation, no lock), published to Micrometer as one {@code FunctionTimer} per
 * outcome ({@code stability.guard.calls{guard,outcome}}). A Micrometer {@code Timer.record} alone
 * costs about as much as a whole Resilience4j breaker call, which the guard budget cannot afford;
 * so are Micrometer's client-side percentiles (about 200 ns more a call, measured): a guard that
 * asks for latency percentiles gets a {@link LatencyWindow} (one more atomic add) published as
 * gauges, {@code stability.guard.latency{guard,quantile}}.
 */
final class CallStats {

  private static final Outcome[] OUTCOMES = Outcome.values();

  /** The percentiles {@code stability.guard.latency} publishes. */
  static final double[] PERCENTILES = {0.5, 0.9, 0.99, 0.999};

  private final LongAdder[] counts = new LongAdder[OUTCOMES.length];
  private final LongAdder[] nanos = new LongAdder[OUTCOMES.length];
  private final LatencyWindow latency;

  /**
   * Registers the guard's meters; {@code latency} (null: none) also as one gauge per percentile.
   */
  CallStats(String guard, SdkMeters meters, LatencyWindow latency) {
    this.latency = latency;
    if (latency != null) {
      for (double percentile : PERCENTILES) {
        meters.gauge(
            StabilityMetric.GUARD_LATENCY,
            latency,
            w -> w.percentileSeconds(percentile),
            "guard",
            guard,
            "quantile",
            Double.toString(percentile));
      }
    }
    for (Outcome outcome : OUTCOMES) {
      int i = outcome.ordinal();
      counts[i] = new LongAdder();
      nanos[i] = new LongAdder();
      meters.functionTimer(
          StabilityMetric.GUARD_CALLS,
          this,
          s -> s.counts[i].sum(),
          s -> s.nanos[i].sum(),
          TimeUnit.NANOSECONDS,
          "guard",
          guard,
          "outcome",
          outcome.name());
    }
  }

  void record(Outcome outcome, long durationNanos) {
    int i = outcome.ordinal();
    counts[i].increment();
    if (durationNanos > 0) {
      nanos[i].add(durationNanos);
    }
    if (latency != null && outcome != Outcome.REJECTED && outcome != Outcome.SHED) {
      latency.record(durationNanos); // calls that ran: refusals take none
    }
  }

  long count(Outcome outcome) {
    return counts[outcome.ordinal()].sum();
  }
}
