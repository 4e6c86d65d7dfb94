package dev.stability.core.guard;

import dev.stability.core.internal.Rules;

/**
 * Semaphore bulkhead of a guard: at most {@code maxConcurrentCalls} calls inside at once; a call
 * over the limit is refused at once ({@code BulkheadFullException}), never queued, because a queued
 * order is a late order. Immutable.
 *
 * @param maxConcurrentCalls the permit count, 1 to 100000
 */
public record BulkheadSettings(int maxConcurrentCalls) {

  /** A bulkhead with this many permits. */
  public static BulkheadSettings of(int maxConcurrentCalls) {
    return new BulkheadSettings(maxConcurrentCalls);
  }

  void validate(String prefix) {
    Rules.between(prefix + "max-concurrent-calls", maxConcurrentCalls, 1, 100_000);
  }
}
