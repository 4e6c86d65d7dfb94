package dev.stability.api.guard;

import dev.stability.api.event.Outcome;

/**
 * Adaptive load shedding dropped the call: the dependency's latency shows it is overloaded and the
 * call would only queue.
 */
public final class LoadShedException extends GuardRejectedException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param guard the guard's name
   * @param reason why, phrased for an operator
   */
  public LoadShedException(String guard, String reason) {
    super(guard, Outcome.SHED, reason);
  }
}
