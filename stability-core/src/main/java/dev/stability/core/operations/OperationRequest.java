package dev.stability.core.operations;

import java.time.Instant;

/**
 * An operation waiting for a second person (R5), as recorded in the operation log.
 *
 * @param id the operation id, carried by every record of this operation
 * @param operation what is asked
 * @param requestedAt when it was asked
 * @param approveBy the approval must come before this instant
 */
public record OperationRequest(
    String id, Operation operation, Instant requestedAt, Instant approveBy) {}
