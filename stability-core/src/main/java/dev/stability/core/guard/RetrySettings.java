package dev.stability.core.guard;

import dev.stability.core.internal.Rules;
import java.time.Duration;

/**
 * Retry of an idempotent guard: up to {@code maxAttempts} attempts in all, waiting {@code
 * waitDuration} before the second, multiplied by {@code exponentialBackoffMultiplier} each time,
 * capped at {@code maxWaitDuration}, and randomised by {@code +-randomizationFactor} (jitter, so
 * that clients do not retry in step). Allowed only on guards declared idempotent. Calls refused by
 * the guard itself (open circuit, full bulkhead, shed) are not retried. Immutable; validated when
 * constructed (also the copies of {@code with...}).
 *
 * @param maxAttempts attempts including the first, 2 to 100
 * @param waitDuration wait before the first retry
 * @param exponentialBackoffMultiplier growth of the wait, 1.0 to 10.0 (1.0: constant)
 * @param randomizationFactor jitter, 0.0 (none) to 1.0
 * @param maxWaitDuration cap on a single wait
 */
public record RetrySettings(
    int maxAttempts,
    Duration waitDuration,
    double exponentialBackoffMultiplier,
    double randomizationFactor,
    Duration maxWaitDuration) {

  /** The key prefix of a bad value: the settings do not know the guard they will belong to. */
  static final String KEY_PREFIX = "retry.";

  /**
   * Validates the settings.
   *
   * @throws dev.stability.api.ConfigurationException naming the key ({@code retry.max-attempts},
   *     ...), the value and the rule
   */
  public RetrySettings {
    Rules.between(KEY_PREFIX + "max-attempts", maxAttempts, 2, 100);
    Rules.positive(KEY_PREFIX + "wait-duration", waitDuration);
    Rules.between(
        KEY_PREFIX + "exponential-backoff-multiplier", exponentialBackoffMultiplier, 1, 10);
    Rules.between(KEY_PREFIX + "randomization-factor", randomizationFactor, 0, 1);
    Rules.positive(KEY_PREFIX + "max-wait-duration", maxWaitDuration);
    if (maxWaitDuration.compareTo(waitDuration) < 0) {
      throw new dev.stability.api.ConfigurationException(
          KEY_PREFIX + "max-wait-duration",
          maxWaitDuration,
          "must be >= wait-duration " + waitDuration);
    }
  }

  /** Defaults: 3 attempts, 100 ms, x2, 0.5 jitter, max 2 s. */
  public static RetrySettings defaults() {
    return new RetrySettings(3, Duration.ofMillis(100), 2.0, 0.5, Duration.ofSeconds(2));
  }

  /** A copy with another attempt count. */
  public RetrySettings withMaxAttempts(int value) {
    return new RetrySettings(
        value, waitDuration, exponentialBackoffMultiplier, randomizationFactor, maxWaitDuration);
  }

  /** A copy with other waits: initial, multiplier, jitter and cap. */
  public RetrySettings withBackoff(
      Duration initial, double multiplier, double jitter, Duration max) {
    return new RetrySettings(maxAttempts, initial, multiplier, jitter, max);
  }

  /** The wait before retry number {@code retry} (1-based) without jitter. */
  public Duration baseWait(int retry) {
    double nanos = waitDuration.toNanos() * Math.pow(exponentialBackoffMultiplier, retry - 1);
    return Duration.ofNanos((long) Math.min(nanos, maxWaitDuration.toNanos()));
  }
}
