package dev.stability.core.health;

import dev.stability.api.ConfigurationException;
import dev.stability.core.internal.Rules;
import java.time.Duration;

/**
 * How the runtime runs health checks (R3). Immutable; build with {@link #builder()}.
 *
 * @param timeout how long a check may take before it is reported DOWN ("timed out after N ms"), 1
 *     ms to 60 s, wall time
 * @param cacheFor how long an answer is reused before the check runs again (0 = always run), up to
 *     1 hour, on the runtime's clock
 * @param pollEvery how often the runtime runs every check on its own so that gauges and events
 *     follow changes without anyone asking (0 = never), on wall time, the first time one interval
 *     after start; a runtime with a {@code ManualClock} never polls on its own
 * @param builtInChecks whether the runtime registers its own checks: {@code guards} (readiness,
 *     grade 2), {@code jvm} (liveness) and {@code capacity} (trading readiness, grade 2, when
 *     indicators are declared)
 */
public record HealthSettings(
    Duration timeout, Duration cacheFor, Duration pollEvery, boolean builtInChecks) {

  /** Validates. */
  public HealthSettings {
    Rules.positive("health.timeout", timeout);
    if (timeout.toMillis() < 1 || timeout.compareTo(Duration.ofSeconds(60)) > 0) {
      throw new ConfigurationException("health.timeout", timeout, "must be between 1 ms and 60 s");
    }
    Rules.notNegative("health.cache-for", cacheFor);
    if (cacheFor.compareTo(Duration.ofHours(1)) > 0) {
      throw new ConfigurationException("health.cache-for", cacheFor, "must be at most 1 hour");
    }
    Rules.notNegative("health.poll-every", pollEvery);
    if (!pollEvery.isZero() && pollEvery.toMillis() < 10) {
      throw new ConfigurationException(
          "health.poll-every", pollEvery, "must be 0 (off) or at least 10 ms");
    }
  }

  /** Defaults: timeout 1 s, cache 1 s, poll every 10 s, built-in checks on. */
  public static HealthSettings defaults() {
    return builder().build();
  }

  /** Starts from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link HealthSettings}; validation happens in {@link #build()}. */
  public static final class Builder {
    private Duration timeout = Duration.ofSeconds(1);
    private Duration cacheFor = Duration.ofSeconds(1);
    private Duration pollEvery = Duration.ofSeconds(10);
    private boolean builtInChecks = true;

    private Builder() {}

    /** Default per-check timeout. */
    public Builder timeout(Duration value) {
      this.timeout = value;
      return this;
    }

    /** How long an answer is reused. */
    public Builder cacheFor(Duration value) {
      this.cacheFor = value;
      return this;
    }

    /** Background polling interval; {@link Duration#ZERO} turns it off. */
    public Builder pollEvery(Duration value) {
      this.pollEvery = value;
      return this;
    }

    /** Whether the runtime registers its built-in checks. */
    public Builder builtInChecks(boolean value) {
      this.builtInChecks = value;
      return this;
    }

    /**
     * Builds the settings.
     *
     * @throws ConfigurationException naming the key, value and rule of the first bad setting
     */
    public HealthSettings build() {
      return new HealthSettings(timeout, cacheFor, pollEvery, builtInChecks);
    }
  }
}
