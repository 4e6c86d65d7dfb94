package dev.stability.aeron;

import dev.stability.api.StabilityException;

/**
 * A SEMI_SYNC primary configured to {@link ConfirmTimeoutAction#REFUSE} refused input: no standby
 * confirmed its records within the timeout. The record was not journaled; the message names the
 * replication and the last confirmed sequence.
 */
public final class ReplicationUnavailableException extends StabilityException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public ReplicationUnavailableException(String message) {
    super(message);
  }
}
