package dev.stability.core.guard;

import dev.stability.core.internal.Rules;
import java.time.Duration;

/**
 * Adaptive load shedding of a guard: a concurrency limit that follows observed latency (gradient
 * family, after Netflix concurrency-limits). Every {@code window} the guard compares the window's
 * mean latency with a slowly moving baseline; when latency grows beyond {@code latencyTolerance}
 * times the baseline, the limit is cut by {@code backoffRatio}, otherwise it grows by one step
 * towards {@code maxLimit}. A call arriving when {@code limit} calls are already inside is shed at
 * once ({@code LoadShedException}, outcome SHED) instead of queueing. Immutable; validated when
 * constructed (also the copies of {@code with...}).
 *
 * @param initialLimit starting limit
 * @param minLimit the limit never goes below this
 * @param maxLimit the limit never goes above this
 * @param latencyTolerance latency / baseline above which the limit is cut, 1.1 to 100
 * @param backoffRatio multiplier applied to the limit on a cut, 0.1 to 0.99
 * @param window how often the limit is recomputed, 1 ms to 60 s
 */
public record LoadSheddingSettings(
    int initialLimit,
    int minLimit,
    int maxLimit,
    double latencyTolerance,
    double backoffRatio,
    Duration window) {

  /** The key prefix of a bad value: the settings do not know the guard they will belong to. */
  static final String KEY_PREFIX = "load-shedding.";

  /**
   * Validates the settings.
   *
   * @throws dev.stability.api.ConfigurationException naming the key ({@code
   *     load-shedding.min-limit}, ...), the value and the rule
   */
  public LoadSheddingSettings {
    Rules.between(KEY_PREFIX + "min-limit", minLimit, 1, 1_000_000);
    Rules.between(KEY_PREFIX + "max-limit", maxLimit, minLimit, 1_000_000);
    Rules.between(KEY_PREFIX + "initial-limit", initialLimit, minLimit, maxLimit);
    Rules.between(KEY_PREFIX + "latency-tolerance", latencyTolerance, 1.1, 100);
    Rules.between(KEY_PREFIX + "backoff-ratio", backoffRatio, 0.1, 0.99);
    Rules.positive(KEY_PREFIX + "window", window);
    if (window.toMillis() < 1 || window.toSeconds() > 60) {
      throw new dev.stability.api.ConfigurationException(
          KEY_PREFIX + "window", window, "must be between 1 ms and 60 s");
    }
  }

  /** Defaults: start 20, between 1 and 1000, tolerance 2.0, backoff 0.9, window 100 ms. */
  public static LoadSheddingSettings defaults() {
    return new LoadSheddingSettings(20, 1, 1000, 2.0, 0.9, Duration.ofMillis(100));
  }

  /** A copy with other limits. */
  public LoadSheddingSettings withLimits(int initial, int min, int max) {
    return new LoadSheddingSettings(initial, min, max, latencyTolerance, backoffRatio, window);
  }

  /** A copy with another window. */
  public LoadSheddingSettings withWindow(Duration value) {
    return new LoadSheddingSettings(
        initialLimit, minLimit, maxLimit, latencyTolerance, backoffRatio, value);
  }
}
