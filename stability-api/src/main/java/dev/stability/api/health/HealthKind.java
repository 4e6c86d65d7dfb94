package dev.stability.api.health;

/** Which question a health check answers; aggregates and reports are per kind (R3, R7). */
public enum HealthKind {
  /** Is the process alive and able to make progress (deadlocks, heap exhaustion)? */
  LIVENESS,
  /** Can the service take work now (dependencies reachable, guards closed, disk space)? */
  READINESS,
  /**
   * Is the service ready for the next trading day (R7): pre-open checks such as reference data
   * loaded, clock synchronized, capacity headroom, standby in sync. Run with the readiness checks
   * by the trading-readiness report.
   */
  TRADING_READINESS;

  /** The lower-case name used in tags, JSON and URLs, e.g. {@code trading_readiness}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
