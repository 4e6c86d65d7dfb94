package dev.stability.core.switchover;

import dev.stability.core.operations.Approval;

/**
 * Makes the standby the primary on one command, from exactly the point the primary reached (R9,
 * R18), reached through {@code runtime.switchover().controller(...)}. A switch needs an {@link
 * Approval} of a {@code switchover} (or {@code failover}) operation: one operator requests, another
 * approves (R5); the change window is checked when it is performed (R6), and the operation log
 * records it.
 *
 * <p>Planned switchover: every gate must pass; the old primary stops accepting; the standby applies
 * up to the primary's last record; the digests must be equal there; the epoch is bumped (the old
 * primary's later appends are refused); the standby is promoted; the endpoint registry points
 * clients at it; the takeover time is measured and published; the post-switch hook runs. Failover
 * takes the same path when the primary is gone, from what its journal holds, and reports the range
 * of records that may be lost.
 */
public interface SwitchController {

  /** Every gate and its state now; {@code approval} may be null (the approval gate then fails). */
  SwitchReadiness readiness(Approval approval);

  /**
   * A planned switchover.
   *
   * @throws SwitchRefusedException naming the failed gates, or the step that failed (before the
   *     promotion: the old primary stays stopped and an operator decides)
   * @throws dev.stability.core.operations.OperationRefusedException if the approval is not valid or
   *     the change window is closed
   */
  SwitchReport switchover(Approval approval) throws Exception;

  /**
   * An emergency failover: the primary is gone.
   *
   * @throws SwitchRefusedException naming the failed gates
   */
  SwitchReport failover(Approval approval) throws Exception;
}
