package dev.stability.core.operations;

import java.time.Instant;

/**
 * A second person's approval of a request (R5). Only the very instance issued by {@link
 * Operations#approve} of the same runtime is accepted by {@link Operations#perform(Approval,
 * java.util.concurrent.Callable)}, once, before it expires: an equal copy or a made-up value is
 * refused.
 *
 * @param request the approved request
 * @param reviewer who approved; never the requester
 * @param approvedAt when
 * @param performBy the operation must be performed before this instant
 */
public record Approval(
    OperationRequest request, String reviewer, Instant approvedAt, Instant performBy) {

  /** The operation id. */
  public String id() {
    return request.id();
  }
}
