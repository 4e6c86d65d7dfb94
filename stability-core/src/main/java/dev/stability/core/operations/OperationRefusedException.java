package dev.stability.core.operations;

import dev.stability.api.StabilityException;
import org.jspecify.annotations.Nullable;

/**
 * An operation was not allowed (R5, R6); the message says which rule and what to do. The refusal
 * itself is recorded in the operation log.
 */
public final class OperationRefusedException extends StabilityException {
  private static final long serialVersionUID = 1L;

  /** Which rule refused the operation. */
  public enum Refusal {
    /** A trading session is open and the operation is not an approved emergency (R6). */
    CHANGE_WINDOW,
    /** A high-risk or emergency operation was attempted without an approval (R5). */
    APPROVAL_REQUIRED,
    /** The requester tried to approve their own request (R5). */
    SELF_APPROVAL,
    /** The approval came too late, or the operation was performed after its approval expired. */
    EXPIRED,
    /** The request or approval is unknown to this runtime, or was already used. */
    NOT_VALID
  }

  private final Refusal refusal;
  private final @Nullable String operationId;

  /** Creates the exception. */
  public OperationRefusedException(Refusal refusal, @Nullable String operationId, String message) {
    super(message);
    this.refusal = refusal;
    this.operationId = operationId;
  }

  /** Which rule refused it. */
  public Refusal refusal() {
    return refusal;
  }

  /** The operation id, or {@code null} if there was none yet. */
  public @Nullable String operationId() {
    return operationId;
  }
}
