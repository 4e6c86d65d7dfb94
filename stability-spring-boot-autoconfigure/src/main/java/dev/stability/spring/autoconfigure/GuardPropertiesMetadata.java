package dev.stability.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Describes {@code stability.guards.<name>.*} for IDE completion; never bound. The starter hands
 * these properties, as written, to the SDK's guard document reader ({@code GuardDocuments}), so
 * they take exactly the guard document's keys, value formats ({@code 500ms}, {@code 1.5s}, {@code
 * 250us}, {@code PT0.5S}) and messages: an unknown key, a wrong type or a bad value fails startup
 * naming {@code stability.guards.<name>.<key>}, the value and the rule. A retry on a guard that is
 * not {@code idempotent: true} is refused the same way.
 *
 * @param guards one guard per name, e.g. exchange-link
 */
@ConfigurationProperties("stability")
public record GuardPropertiesMetadata(Map<String, Guard> guards) {

  /**
   * One guard.
   *
   * @param idempotent whether repeating the call is safe; retries are allowed only then
   * @param siteLocal whether the dependency is per site, so a warm standby does not inherit the
   *     guard's state at a switch
   * @param latencyPercentiles whether to publish p50, p90, p99 and p99.9 of the calls' latency
   *     ({@code stability.guard.latency})
   * @param deadline the longest a synchronous call may take
   * @param timeLimit the longest an asynchronous call may take
   * @param circuitBreaker the circuit breaker; a section with no keys takes its defaults
   * @param bulkhead the bulkhead (concurrent calls)
   * @param threadPoolBulkhead the guard's own pool for blocking work submitted to it
   * @param rateLimiter the rate limiter
   * @param retry retries, only with idempotent: true
   * @param loadShedding adaptive concurrency limit
   * @param ignoreExceptions exception classes that are answers, not failures
   */
  public record Guard(
      Boolean idempotent,
      Boolean siteLocal,
      Boolean latencyPercentiles,
      Duration deadline,
      Duration timeLimit,
      CircuitBreaker circuitBreaker,
      Bulkhead bulkhead,
      ThreadPoolBulkhead threadPoolBulkhead,
      RateLimiter rateLimiter,
      Retry retry,
      LoadShedding loadShedding,
      List<String> ignoreExceptions) {}

  /** Sliding window kinds of the circuit breaker. */
  public enum WindowType {
    /** The last N calls. */
    COUNT_BASED,
    /** The calls of the last N seconds. */
    TIME_BASED
  }

  /**
   * Circuit breaker.
   *
   * @param slidingWindowType COUNT_BASED or TIME_BASED
   * @param slidingWindowSize calls (count based) or seconds (time based) in the window
   * @param minimumNumberOfCalls calls needed before rates are computed
   * @param failureRateThreshold failure percentage that opens the breaker
   * @param slowCallRateThreshold slow call percentage that opens the breaker
   * @param slowCallDurationThreshold calls slower than this are slow
   * @param waitDurationInOpenState how long the breaker stays open
   * @param permittedNumberOfCallsInHalfOpenState trial calls when half open
   */
  public record CircuitBreaker(
      WindowType slidingWindowType,
      Integer slidingWindowSize,
      Integer minimumNumberOfCalls,
      Float failureRateThreshold,
      Float slowCallRateThreshold,
      Duration slowCallDurationThreshold,
      Duration waitDurationInOpenState,
      Integer permittedNumberOfCallsInHalfOpenState) {}

  /**
   * Bulkhead.
   *
   * @param maxConcurrentCalls calls allowed at once
   */
  public record Bulkhead(Integer maxConcurrentCalls) {}

  /**
   * Thread-pool bulkhead.
   *
   * @param maxThreadPoolSize largest pool size
   * @param coreThreadPoolSize core pool size
   * @param queueCapacity work waiting for a thread
   */
  public record ThreadPoolBulkhead(
      Integer maxThreadPoolSize, Integer coreThreadPoolSize, Integer queueCapacity) {}

  /**
   * Rate limiter.
   *
   * @param limitForPeriod calls allowed per period
   * @param limitRefreshPeriod the period
   */
  public record RateLimiter(Integer limitForPeriod, Duration limitRefreshPeriod) {}

  /**
   * Retry.
   *
   * @param maxAttempts attempts in all, the first included
   * @param waitDuration wait before the first retry
   * @param exponentialBackoffMultiplier growth of the wait per attempt
   * @param randomizationFactor jitter of the wait, 0 to 1
   * @param maxWaitDuration the longest wait
   */
  public record Retry(
      Integer maxAttempts,
      Duration waitDuration,
      Double exponentialBackoffMultiplier,
      Double randomizationFactor,
      Duration maxWaitDuration) {}

  /**
   * Adaptive load shedding.
   *
   * @param initialLimit concurrency limit at start
   * @param minLimit lowest limit
   * @param maxLimit highest limit
   * @param latencyTolerance latency growth over the best seen that counts as overload
   * @param backoffRatio how much the limit shrinks on overload
   * @param window how often the limit is reconsidered
   */
  public record LoadShedding(
      Integer initialLimit,
      Integer minLimit,
      Integer maxLimit,
      Double latencyTolerance,
      Double backoffRatio,
      Duration window) {}
}
