package dev.stability.api.guard;

import dev.stability.api.event.Outcome;

/**
 * The guard's circuit breaker is open (or half-open with no trial permit left): the dependency is
 * failing and calls are refused until it is tested again.
 */
public final class CircuitOpenException extends GuardRejectedException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param guard the guard's name
   * @param reason why, phrased for an operator
   */
  public CircuitOpenException(String guard, String reason) {
    super(guard, Outcome.REJECTED, reason);
  }
}
