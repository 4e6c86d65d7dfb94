package dev.stability.core.guard;

import dev.stability.core.internal.Rules;
import java.time.Duration;

/**
 * Circuit breaker settings of a guard, with Resilience4j's vocabulary and defaults. Immutable;
 * validated when constructed (by {@link Builder#build()} or the canonical constructor), with keys
 * relative to the breaker ({@code circuit-breaker.failure-rate-threshold}): the guard's name is not
 * known yet.
 *
 * @param slidingWindowType count-based (last N calls) or time-based (last N seconds)
 * @param slidingWindowSize N calls or N seconds
 * @param minimumNumberOfCalls calls needed in the window before rates are evaluated
 * @param failureRateThreshold percentage of failures (0-100] that opens the breaker
 * @param slowCallRateThreshold percentage of slow calls (0-100] that opens the breaker
 * @param slowCallDurationThreshold a call slower than this is slow
 * @param waitDurationInOpenState how long the breaker stays open before half-open trials
 * @param permittedNumberOfCallsInHalfOpenState trial calls allowed in half-open state
 */
public record CircuitBreakerSettings(
    WindowType slidingWindowType,
    int slidingWindowSize,
    int minimumNumberOfCalls,
    float failureRateThreshold,
    float slowCallRateThreshold,
    Duration slowCallDurationThreshold,
    Duration waitDurationInOpenState,
    int permittedNumberOfCallsInHalfOpenState) {

  /** How the sliding window counts. */
  public enum WindowType {
    /** The last {@code slidingWindowSize} calls. */
    COUNT_BASED,
    /** The calls of the last {@code slidingWindowSize} seconds. */
    TIME_BASED
  }

  /** Resilience4j's defaults: count-based 100, 50% failures, 60 s open, 10 trials. */
  public static Builder builder() {
    return new Builder();
  }

  /** The key prefix of a bad value found when the settings are built on their own. */
  static final String KEY_PREFIX = "circuit-breaker.";

  /**
   * Validates the settings.
   *
   * @throws dev.stability.api.ConfigurationException naming the key ({@code
   *     circuit-breaker.failure-rate-threshold}, ...), the value and the rule
   */
  public CircuitBreakerSettings {
    String prefix = KEY_PREFIX;
    if (slidingWindowType == null) {
      throw new dev.stability.api.ConfigurationException(
          prefix + "sliding-window-type", null, "must be COUNT_BASED or TIME_BASED");
    }
    Rules.between(prefix + "sliding-window-size", slidingWindowSize, 1, 100_000);
    Rules.between(prefix + "minimum-number-of-calls", minimumNumberOfCalls, 1, 1_000_000);
    Rules.between(prefix + "failure-rate-threshold", failureRateThreshold, 0.001, 100);
    Rules.between(prefix + "slow-call-rate-threshold", slowCallRateThreshold, 0.001, 100);
    Rules.positive(prefix + "slow-call-duration-threshold", slowCallDurationThreshold);
    Rules.positive(prefix + "wait-duration-in-open-state", waitDurationInOpenState);
    Rules.between(
        prefix + "permitted-number-of-calls-in-half-open-state",
        permittedNumberOfCallsInHalfOpenState,
        1,
        10_000);
  }

  /** Builds a {@link CircuitBreakerSettings}. Not thread-safe. */
  public static final class Builder {
    private WindowType slidingWindowType = WindowType.COUNT_BASED;
    private int slidingWindowSize = 100;
    private int minimumNumberOfCalls = 100;
    private float failureRateThreshold = 50;
    private float slowCallRateThreshold = 100;
    private Duration slowCallDurationThreshold = Duration.ofSeconds(60);
    private Duration waitDurationInOpenState = Duration.ofSeconds(60);
    private int permittedNumberOfCallsInHalfOpenState = 10;

    private Builder() {}

    /** Count- or time-based window. */
    public Builder slidingWindowType(WindowType value) {
      this.slidingWindowType = value;
      return this;
    }

    /** Window size in calls or seconds. */
    public Builder slidingWindowSize(int value) {
      this.slidingWindowSize = value;
      return this;
    }

    /** Calls needed before rates are evaluated. */
    public Builder minimumNumberOfCalls(int value) {
      this.minimumNumberOfCalls = value;
      return this;
    }

    /** Failure percentage that opens the breaker. */
    public Builder failureRateThreshold(float value) {
      this.failureRateThreshold = value;
      return this;
    }

    /** Slow-call percentage that opens the breaker. */
    public Builder slowCallRateThreshold(float value) {
      this.slowCallRateThreshold = value;
      return this;
    }

    /** A call slower than this counts as slow. */
    public Builder slowCallDurationThreshold(Duration value) {
      this.slowCallDurationThreshold = value;
      return this;
    }

    /** Time in open state before half-open trials. */
    public Builder waitDurationInOpenState(Duration value) {
      this.waitDurationInOpenState = value;
      return this;
    }

    /** Trial calls in half-open state. */
    public Builder permittedNumberOfCallsInHalfOpenState(int value) {
      this.permittedNumberOfCallsInHalfOpenState = value;
      return this;
    }

    /**
     * Builds the settings.
     *
     * @throws dev.stability.api.ConfigurationException naming the key ({@code
     *     circuit-breaker.failure-rate-threshold}, ...), the value and the rule
     */
    public CircuitBreakerSettings build() {
      return new CircuitBreakerSettings(
          slidingWindowType,
          slidingWindowSize,
          minimumNumberOfCalls,
          failureRateThreshold,
          slowCallRateThreshold,
          slowCallDurationThreshold,
          waitDurationInOpenState,
          permittedNumberOfCallsInHalfOpenState);
    }
  }
}
