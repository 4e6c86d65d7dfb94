package dev.stability.core.guard.internal;

import dev.stability.api.guard.CircuitState;

/**
 * A guard's carried state, as a warm standby receives it from the primary. Internal.
 *
 * @param name the guard's name
 * @param circuit the breaker's state ({@link CircuitState#DISABLED} without a breaker)
 * @param openRemainingNanos what was left of the open wait when captured (OPEN only)
 * @param limit the adaptive concurrency limit, or -1 without load shedding
 */
public record GuardState(String name, CircuitState circuit, long openRemainingNanos, int limit) {}
