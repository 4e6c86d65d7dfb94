package dev.stability.api.guard;

import dev.stability.api.event.Outcome;

/**
 * Every concurrent-call permit of the guard's bulkhead is taken; the call was refused at once
 * rather than queued.
 */
public final class BulkheadFullException extends GuardRejectedException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param guard the guard's name
   * @param reason why, phrased for an operator
   */
  public BulkheadFullException(String guard, String reason) {
    super(guard, Outcome.REJECTED, reason);
  }
}
