package dev.stability.core.guard;

import dev.stability.core.internal.Rules;

/**
 * Thread-pool bulkhead of a guard (Resilience4j's {@code FixedThreadPoolBulkhead}): work handed to
 * {@link Guard#submit} runs on at most {@code maxThreadPoolSize} threads of the guard's own pool,
 * with at most {@code queueCapacity} waiting; beyond that a call is refused at once ({@code
 * BulkheadFullException}). For blocking work that must not tie up the caller's thread. Immutable.
 *
 * @param maxThreadPoolSize most threads, 1 to 1024
 * @param coreThreadPoolSize threads kept alive when idle, 1 to {@code maxThreadPoolSize}
 * @param queueCapacity most waiting calls, 0 to 100000
 */
public record ThreadPoolBulkheadSettings(
    int maxThreadPoolSize, int coreThreadPoolSize, int queueCapacity) {

  /** A pool of {@code threads} threads (all kept) and a queue of {@code queueCapacity}. */
  public static ThreadPoolBulkheadSettings of(int threads, int queueCapacity) {
    return new ThreadPoolBulkheadSettings(threads, threads, queueCapacity);
  }

  void validate(String prefix) {
    Rules.between(prefix + "max-thread-pool-size", maxThreadPoolSize, 1, 1024);
    Rules.between(prefix + "core-thread-pool-size", coreThreadPoolSize, 1, maxThreadPoolSize);
    Rules.between(prefix + "queue-capacity", queueCapacity, 0, 100_000);
  }
}
