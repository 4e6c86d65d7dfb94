package dev.stability.core.guard;

import dev.stability.core.internal.Rules;
import java.time.Duration;

/**
 * Rate limiter of a guard (Resilience4j's {@code AtomicRateLimiter}): {@code limitForPeriod} calls
 * per {@code limitRefreshPeriod}; a call without a permit is refused at once ({@code
 * RateLimitedException}), never made to wait. Immutable.
 *
 * @param limitForPeriod permits per period, at least 1
 * @param limitRefreshPeriod the period, at least 1 ms
 */
public record RateLimiterSettings(int limitForPeriod, Duration limitRefreshPeriod) {

  /** {@code limitForPeriod} calls per {@code limitRefreshPeriod}. */
  public static RateLimiterSettings of(int limitForPeriod, Duration limitRefreshPeriod) {
    return new RateLimiterSettings(limitForPeriod, limitRefreshPeriod);
  }

  void validate(String prefix) {
    Rules.between(prefix + "limit-for-period", limitForPeriod, 1, 100_000_000);
    Rules.positive(prefix + "limit-refresh-period", limitRefreshPeriod);
    if (limitRefreshPeriod.toNanos() < 1_000_000) {
      throw new dev.stability.api.ConfigurationException(
          prefix + "limit-refresh-period", limitRefreshPeriod, "must be at least 1 ms");
    }
  }
}
