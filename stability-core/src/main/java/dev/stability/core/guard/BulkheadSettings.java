package dev.stability.core.guard;

import dev.stability.core.internal.Rules;

/**
 * Semaphore bulkhead of a guard: at most {@code maxConcurrentCalls} calls inside at once; a call
 * over the limit is refused at once ({@code BulkheadFullException}), never queued, because a queued
 * order is a late order. Immutable; validated when constructed.
 *
 * @param maxConcurrentCalls the permit count, 1 to 100000
 */
public record BulkheadSettings(int maxConcurrentCalls) {

  /** The key prefix of a bad value: the settings do not know the guard they will belong to. */
  static final String KEY_PREFIX = "bulkhead.";

  /**
   * Validates the settings.
   *
   * @throws dev.stability.api.ConfigurationException naming the key ({@code
   *     bulkhead.max-concurrent-calls}), the value and the rule
   */
  public BulkheadSettings {
    Rules.between(KEY_PREFIX + "max-concurrent-calls", maxConcurrentCalls, 1, 100_000);
  }

  /**
   * A bulkhead with this many permits.
   *
   * @throws dev.stability.api.ConfigurationException if the count is not between 1 and 100000
   */
  public static BulkheadSettings of(int maxConcurrentCalls) {
    return new BulkheadSettings(maxConcurrentCalls);
  }
}
