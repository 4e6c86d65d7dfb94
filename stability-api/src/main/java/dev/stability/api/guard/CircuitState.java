package dev.stability.api.guard;

/**
 * State of a guard's circuit breaker; the gauge {@code stability.guard.circuit.state} reports the
 * {@link #code()}.
 */
public enum CircuitState {
  /** Calls flow; outcomes are recorded. */
  CLOSED(0),
  /** Calls are refused until the wait in open state has passed. */
  OPEN(1),
  /** A limited number of trial calls test whether the dependency recovered. */
  HALF_OPEN(2),
  /** The guard has no circuit breaker. */
  DISABLED(3),
  /** An operator forced the breaker open. */
  FORCED_OPEN(4);

  private final int code;

  CircuitState(int code) {
    this.code = code;
  }

  /** The number the state gauge reports. */
  public int code() {
    return code;
  }
}
