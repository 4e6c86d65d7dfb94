package dev.stability.api.guard;

import dev.stability.api.event.Outcome;

/**
 * The call did not finish within the guard's deadline (synchronous) or time limit (asynchronous); a
 * late answer is treated as no answer.
 */
public final class DeadlineExceededException extends GuardRejectedException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param guard the guard's name
   * @param reason why, phrased for an operator
   */
  public DeadlineExceededException(String guard, String reason) {
    super(guard, Outcome.TIMEOUT, reason);
  }
}
