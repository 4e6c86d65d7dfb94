package dev.stability.core.operations;

/** How much care an operation needs (R5, R6). */
public enum Risk {
  /** No window, one person: a read, a log marker. */
  ROUTINE,
  /** Refused during trading sessions unless an approved emergency (R6); one person otherwise. */
  RISKY,
  /**
   * Like {@link #RISKY}, and always needs a second person's approval (R5): switchover, failover.
   */
  HIGH;

  /** Whether the change-window policy applies. */
  public boolean needsChangeWindow() {
    return this != ROUTINE;
  }
}
