package dev.stability.core.switchover;

import dev.stability.api.StabilityException;

/** A switch was not started, or was rolled back, for the reasons given (R9). */
public final class SwitchRefusedException extends StabilityException {
  private static final long serialVersionUID = 1L;

  private final transient SwitchReadiness readiness;

  /** Creates the exception. */
  public SwitchRefusedException(String message, SwitchReadiness readiness) {
    super(message);
    this.readiness = readiness;
  }

  /** The gates as they stood, if the refusal came from them. */
  public SwitchReadiness readiness() {
    return readiness;
  }
}
