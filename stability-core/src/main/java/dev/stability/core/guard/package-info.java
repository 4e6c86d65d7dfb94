/**
 * Guards around outbound calls: circuit breaker, bulkheads, rate limiter, deadline, time limit,
 * retry and adaptive load shedding, configured in code or from a guard document (R14).
 *
 * <p>Null-marked: nothing in this package's API is null unless it is annotated {@code @Nullable}.
 */
@NullMarked
package dev.stability.core.guard;

import org.jspecify.annotations.NullMarked;
