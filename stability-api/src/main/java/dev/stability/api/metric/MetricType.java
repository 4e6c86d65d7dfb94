package dev.stability.api.metric;

/** The kind of a cataloged metric, as Micrometer registers it. */
public enum MetricType {
  /** Monotonic count; exported to Prometheus with a {@code _total} suffix. */
  COUNTER,
  /** A sampled current value. */
  GAUGE,
  /** Durations: count, total and max, in seconds when exported. */
  TIMER
}
