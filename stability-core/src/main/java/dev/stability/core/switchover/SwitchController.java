package dev.stability.core.switchover;

import dev.stability.core.operations.Approval;
import org.jspecify.annotations.Nullable;

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
  SwitchReadiness readiness(@Nullable Approval approval);

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

  /**
   * A failover under the {@link FailoverPolicy#AUTOMATIC} policy, with no operator at hand: allowed
   * only with a role lease ({@link SwitchParticipants.Builder#lease}), whose gate proves the old
   * primary no longer holds the role, and taken as an emergency (the change window does not apply).
   * The operation log records it with operator {@code policy:automatic} and the trigger as the
   * reason, then the loss report, as for an operators' failover. Usually called by {@link
   * PrimaryLeaseWatch}, not by hand.
   *
   * @param trigger why, in one line (e.g. the primary's lease expired at epoch 7)
   * @throws SwitchRefusedException without a lease, or naming the failed gates (the lease still
   *     held by another participant, the standby unhealthy) or the step that failed
   */
  SwitchReport failoverAutomatically(String trigger) throws Exception;
}
