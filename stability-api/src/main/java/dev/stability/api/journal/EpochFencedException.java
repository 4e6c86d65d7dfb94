package dev.stability.api.journal;

import dev.stability.api.StabilityException;

/**
 * A write or command stamped with an epoch older than the current one was refused (R9): it comes
 * from a primary that has been replaced. Stackless: a fenced primary may hit it many times.
 */
public final class EpochFencedException extends StabilityException {
  private static final long serialVersionUID = 1L;

  private final long epoch;
  private final long current;

  /** Creates the exception. */
  public EpochFencedException(String what, long epoch, long current) {
    super(
        what
            + " refused: epoch "
            + epoch
            + " is older than the current epoch "
            + current
            + " (this primary was replaced; it must stop)",
        null,
        false);
    this.epoch = epoch;
    this.current = current;
  }

  /** The stale epoch. */
  public long epoch() {
    return epoch;
  }

  /** The current epoch. */
  public long current() {
    return current;
  }
}
