package dev.stability.api.switchover;

import dev.stability.api.StabilityException;

/**
 * Input was refused because this participant does not hold the primary role now (R9, R18): its
 * {@link RoleLease} said {@link RoleLease#held() no} (the deadline passed without a heartbeat
 * answered, the session was lost, the role was released), so another participant may be granted the
 * role at any moment and nothing more may be acknowledged here. The primary must stop taking input;
 * it may take the role again only through a new grant (with a new epoch). Stackless: a primary that
 * lost the role may hit it many times.
 */
public final class RoleNotHeldException extends StabilityException {
  private static final long serialVersionUID = 1L;

  private final String participant;
  private final long epoch;

  /**
   * Creates the exception.
   *
   * @param what what was refused, e.g. {@code "journal append"}
   * @param participant the participant whose lease is not held
   * @param epoch the epoch of its last grant (0 if it never held the role)
   */
  public RoleNotHeldException(String what, String participant, long epoch) {
    super(
        what
            + " refused: "
            + participant
            + " does not hold the primary role (its lease of epoch "
            + epoch
            + " may be lost: another participant may be granted the role; stop taking input)",
        null,
        false);
    this.participant = participant;
    this.epoch = epoch;
  }

  /** The participant whose lease is not held. */
  public String participant() {
    return participant;
  }

  /** The epoch of its last grant. */
  public long epoch() {
    return epoch;
  }
}
