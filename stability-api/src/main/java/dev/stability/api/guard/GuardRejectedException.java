package dev.stability.api.guard;

import dev.stability.api.StabilityException;
import dev.stability.api.event.Outcome;

/**
 * A guard refused or cut short a call to protect the service (R14): the call either did not run
 * (circuit open, bulkhead full, rate limited, shed) or ran past its deadline. Carries the guard's
 * name, the outcome recorded for the call and a reason. Rejections are normal outcomes on a hot
 * path, so these exceptions capture no stack trace.
 */
public abstract class GuardRejectedException extends StabilityException {
  private static final long serialVersionUID = 1L;

  private final String guard;
  private final Outcome outcome;

  /**
   * Creates the exception.
   *
   * @param guard the guard's name
   * @param outcome the outcome the guard recorded for the call
   * @param reason why, phrased for an operator
   */
  protected GuardRejectedException(String guard, Outcome outcome, String reason) {
    super("guard '" + guard + "': " + reason, null, false);
    this.guard = guard;
    this.outcome = outcome;
  }

  /** The name of the guard that refused the call. */
  public String guard() {
    return guard;
  }

  /** The outcome recorded for the call: REJECTED, SHED or TIMEOUT. */
  public Outcome outcome() {
    return outcome;
  }
}
