package dev.stability.api.health;

/**
 * What a health check found (R3). Ordered from best to worst for aggregation, where {@link
 * #UNKNOWN} counts as {@link #DEGRADED}: nothing is known to be down, but nothing is known to be up
 * either.
 */
public enum HealthStatus {
  /** Working normally. */
  UP(1.0),
  /** Working with reduced capacity or redundancy; an operator should look. */
  DEGRADED(0.5),
  /** The check could not tell (not yet run, or the probe has no answer). */
  UNKNOWN(-1.0),
  /** Not working. */
  DOWN(0.0);

  private final double gaugeValue;

  HealthStatus(double gaugeValue) {
    this.gaugeValue = gaugeValue;
  }

  /**
   * The value the {@code stability.health.status} gauge reports: UP 1, DEGRADED 0.5, DOWN 0,
   * UNKNOWN -1.
   */
  public double gaugeValue() {
    return gaugeValue;
  }
}
