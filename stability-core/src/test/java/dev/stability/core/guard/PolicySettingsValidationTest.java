package dev.stability.core.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.ConfigurationException;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every policy's settings refuse a bad value when they are constructed, not first when a guard or a
 * runtime is built from them: a {@link ConfigurationException} naming the key (relative to the
 * policy: the guard is not known yet), the value and the same rule the guard document reports.
 */
class PolicySettingsValidationTest {

  static Stream<Arguments> badSettings() {
    return Stream.of(
        bad(
            "circuit breaker's builder",
            () -> CircuitBreakerSettings.builder().failureRateThreshold(150).build(),
            "circuit-breaker.failure-rate-threshold = 150.0: must be between 0.001 and 100.0"),
        bad(
            "circuit breaker's constructor",
            () ->
                new CircuitBreakerSettings(
                    CircuitBreakerSettings.WindowType.COUNT_BASED,
                    0,
                    10,
                    50,
                    100,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1),
                    1),
            "circuit-breaker.sliding-window-size = 0: must be between 1 and 100000"),
        bad(
            "bulkhead",
            () -> BulkheadSettings.of(0),
            "bulkhead.max-concurrent-calls = 0: must be between 1 and 100000"),
        bad(
            "thread-pool bulkhead's queue",
            () -> ThreadPoolBulkheadSettings.of(4, -1),
            "thread-pool-bulkhead.queue-capacity = -1: must be between 0 and 100000"),
        bad(
            "thread-pool bulkhead's core above its maximum",
            () -> new ThreadPoolBulkheadSettings(2, 3, 10),
            "thread-pool-bulkhead.core-thread-pool-size = 3: must be between 1 and 2"),
        bad(
            "rate limiter's period",
            () -> RateLimiterSettings.of(10, Duration.ofNanos(100_000)),
            "rate-limiter.limit-refresh-period = PT0.0001S: must be at least 1 ms"),
        bad(
            "rate limiter's permits",
            () -> RateLimiterSettings.of(0, Duration.ofSeconds(1)),
            "rate-limiter.limit-for-period = 0: must be between 1 and 100000000"),
        bad(
            "retry's copy with one attempt",
            () -> RetrySettings.defaults().withMaxAttempts(1),
            "retry.max-attempts = 1: must be between 2 and 100"),
        bad(
            "retry's cap below its first wait",
            () ->
                RetrySettings.defaults()
                    .withBackoff(Duration.ofSeconds(2), 2.0, 0.5, Duration.ofSeconds(1)),
            "retry.max-wait-duration = PT1S: must be >= wait-duration PT2S"),
        bad(
            "retry without a wait",
            () -> new RetrySettings(3, null, 2.0, 0.5, Duration.ofSeconds(1)),
            "retry.wait-duration = null: must be set"),
        bad(
            "load shedding's initial limit outside its bounds",
            () -> LoadSheddingSettings.defaults().withLimits(5000, 1, 1000),
            "load-shedding.initial-limit = 5000: must be between 1 and 1000"),
        bad(
            "load shedding's window",
            () -> LoadSheddingSettings.defaults().withWindow(Duration.ofMinutes(2)),
            "load-shedding.window = PT2M: must be between 1 ms and 60 s"),
        bad(
            "load shedding's backoff",
            () -> new LoadSheddingSettings(20, 1, 1000, 2.0, 1.5, Duration.ofMillis(100)),
            "load-shedding.backoff-ratio = 1.5: must be between 0.1 and 0.99"));
  }

  private static Arguments bad(String what, Supplier<Object> settings, String message) {
    return Arguments.of(what, settings, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSettings")
  void aBadValueIsRefusedWhenTheSettingsAreConstructed(
      String what, Supplier<Object> settings, String message) {
    assertThatThrownBy(settings::get)
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(message);
  }

  @Test
  void theGuardDocumentNamesThePolicysKeyInFullWithTheSameRule() {
    assertThatThrownBy(
            () ->
                GuardDocuments.parse(
                    "guards.g.retry.max-attempts=1", GuardDocuments.Format.PROPERTIES))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("guards.g.retry.max-attempts = 1: must be between 2 and 100");
  }

  @Test
  void aGuardsOwnDurationsAreRefusedWhenItsSettingsAreBuilt() {
    assertThatThrownBy(() -> GuardSettings.builder("g").deadline(Duration.ZERO).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("guards.g.deadline = PT0S: must be a positive duration");
    assertThatThrownBy(() -> GuardSettings.builder("g").timeLimit(Duration.ofMillis(-1)).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("guards.g.time-limit = PT-0.001S: must be a positive duration");
  }

  @Test
  void validSettingsAndTheirCopiesAreKept() {
    assertThat(
            LoadSheddingSettings.defaults().withLimits(12, 1, 64).withWindow(Duration.ofSeconds(1)))
        .isEqualTo(new LoadSheddingSettings(12, 1, 64, 2.0, 0.9, Duration.ofSeconds(1)));
    assertThat(RetrySettings.defaults().withMaxAttempts(5).maxAttempts()).isEqualTo(5);
    assertThat(ThreadPoolBulkheadSettings.of(4, 0))
        .isEqualTo(new ThreadPoolBulkheadSettings(4, 4, 0));
  }
}
