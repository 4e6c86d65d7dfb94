package dev.stability.core.guard;

import dev.stability.core.internal.Rules;
import java.time.Duration;

/**
 * Rate limiter of a guard (Resilience4j's {@code AtomicRateLimiter}): {@code limitForPeriod} calls
 * per {@code limitRefreshPeriod}; a call without a permit is refused at once ({@code
 * RateLimitedException}), never made to wait. Immutable; validated when constructed.
 *
 * @param limitForPeriod permits per period, at least 1
 * @param limitRefreshPeriod the period, at least 1 ms
 */
public record RateLimiterSettings(int limitForPeriod, Duration limitRefreshPeriod) {

  /** The key prefix of a bad value: the settings do not know the guard they will belong to. */
  static final String KEY_PREFIX = "rate-limiter.";

  /**
   * Validates the settings.
   *
   * @throws dev.stability.api.ConfigurationException naming the key ({@code
   *     rate-limiter.limit-for-period}, ...), the value and the rule
   */
  public RateLimiterSettings {
    Rules.between(KEY_PREFIX + "limit-for-period", limitForPeriod, 1, 100_000_000);
    Rules.positive(KEY_PREFIX + "limit-refresh-period", limitRefreshPeriod);
    if (limitRefreshPeriod.toNanos() < 1_000_000) {
      throw new dev.stability.api.ConfigurationException(
          KEY_PREFIX + "limit-refresh-period", limitRefreshPeriod, "must be at least 1 ms");
    }
  }

  /**
   * {@code limitForPeriod} calls per {@code limitRefreshPeriod}.
   *
   * @throws dev.stability.api.ConfigurationException if a value breaks its rule
   */
  public static RateLimiterSettings of(int limitForPeriod, Duration limitRefreshPeriod) {
    return new RateLimiterSettings(limitForPeriod, limitRefreshPeriod);
  }
}
