package dev.stability.core.guard;

import dev.stability.core.internal.Rules;

/**
 * Thread-pool bulkhead of a guard (Resilience4j's {@code FixedThreadPoolBulkhead}): work handed to
 * {@link Guard#submit} runs on at most {@code maxThreadPoolSize} threads of the guard's own pool,
 * with at most {@code queueCapacity} waiting; beyond that a call is refused at once ({@code
 * BulkheadFullException}). For blocking work that must not tie up the caller's thread. Immutable;
 * validated when constructed.
 *
 * @param maxThreadPoolSize most threads, 1 to 1024
 * @param coreThreadPoolSize threads kept alive when idle, 1 to {@code maxThreadPoolSize}
 * @param queueCapacity most waiting calls, 0 to 100000
 */
public record ThreadPoolBulkheadSettings(
    int maxThreadPoolSize, int coreThreadPoolSize, int queueCapacity) {

  /** The key prefix of a bad value: the settings do not know the guard they will belong to. */
  static final String KEY_PREFIX = "thread-pool-bulkhead.";

  /**
   * Validates the settings.
   *
   * @throws dev.stability.api.ConfigurationException naming the key ({@code
   *     thread-pool-bulkhead.queue-capacity}, ...), the value and the rule
   */
  public ThreadPoolBulkheadSettings {
    Rules.between(KEY_PREFIX + "max-thread-pool-size", maxThreadPoolSize, 1, 1024);
    Rules.between(KEY_PREFIX + "core-thread-pool-size", coreThreadPoolSize, 1, maxThreadPoolSize);
    Rules.between(KEY_PREFIX + "queue-capacity", queueCapacity, 0, 100_000);
  }

  /**
   * A pool of {@code threads} threads (all kept) and a queue of {@code queueCapacity}.
   *
   * @throws dev.stability.api.ConfigurationException if a value breaks its rule
   */
  public static ThreadPoolBulkheadSettings of(int threads, int queueCapacity) {
    return new ThreadPoolBulkheadSettings(threads, threads, queueCapacity);
  }
}
