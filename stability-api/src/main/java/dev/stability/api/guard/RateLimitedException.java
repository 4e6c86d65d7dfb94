package dev.stability.api.guard;

import dev.stability.api.event.Outcome;

/** The guard's rate limiter has no permit left in the current period; the call was refused. */
public final class RateLimitedException extends GuardRejectedException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param guard the guard's name
   * @param reason why, phrased for an operator
   */
  public RateLimitedException(String guard, String reason) {
    super(guard, Outcome.REJECTED, reason);
  }
}
