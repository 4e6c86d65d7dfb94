package dev.stability.core.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.ConfigurationException;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestIdentities;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GuardDocumentsTest {

  static final String FULL_YAML =
      """
      guards:
        exchange-link:
          idempotent: true
          deadline: 50ms
          time-limit: 1.5s
          circuit-breaker:
            sliding-window-type: TIME_BASED
            sliding-window-size: 30
            minimum-number-of-calls: 20
            failure-rate-threshold: 40
            slow-call-rate-threshold: 80
            slow-call-duration-threshold: 20ms
            wait-duration-in-open-state: 5s
            permitted-number-of-calls-in-half-open-state: 4
          bulkhead:
            max-concurrent-calls: 64
          thread-pool-bulkhead:
            max-thread-pool-size: 8
            core-thread-pool-size: 2
            queue-capacity: 50
          rate-limiter:
            limit-for-period: 5000
            limit-refresh-period: 1s
          retry:
            max-attempts: 4
            wait-duration: 250us
            exponential-backoff-multiplier: 1.5
            randomization-factor: 0.2
            max-wait-duration: PT0.5S
          load-shedding:
            initial-limit: 30
            min-limit: 2
            max-limit: 500
            latency-tolerance: 3.0
            backoff-ratio: 0.8
            window: 1m
          ignore-exceptions: [java.lang.IllegalArgumentException, java.util.NoSuchElementException]
        risk-check:
          bulkhead:
      """;

  @Test
  void everyDocumentedKeyIsRead() {
    List<GuardSettings> specs = GuardDocuments.parse(FULL_YAML, GuardDocuments.Format.YAML);

    assertThat(specs)
        .extracting(GuardSettings::name)
        .containsExactly("exchange-link", "risk-check");
    GuardSettings spec = specs.get(0);
    assertThat(spec.idempotent()).isTrue();
    assertThat(spec.deadline()).contains(Duration.ofMillis(50));
    assertThat(spec.timeLimit()).contains(Duration.ofMillis(1500));
    assertThat(spec.circuitBreaker())
        .contains(
            new CircuitBreakerSettings(
                CircuitBreakerSettings.WindowType.TIME_BASED,
                30,
                20,
                40,
                80,
                Duration.ofMillis(20),
                Duration.ofSeconds(5),
                4));
    assertThat(spec.bulkhead()).contains(BulkheadSettings.of(64));
    assertThat(spec.threadPoolBulkhead()).contains(new ThreadPoolBulkheadSettings(8, 2, 50));
    assertThat(spec.rateLimiter()).contains(RateLimiterSettings.of(5000, Duration.ofSeconds(1)));
    assertThat(spec.retry())
        .contains(
            new RetrySettings(4, Duration.ofNanos(250_000), 1.5, 0.2, Duration.ofMillis(500)));
    assertThat(spec.loadShedding())
        .contains(new LoadSheddingSettings(30, 2, 500, 3.0, 0.8, Duration.ofMinutes(1)));
    assertThat(spec.ignoredExceptions())
        .containsExactly(IllegalArgumentException.class, java.util.NoSuchElementException.class);
    assertThat(specs.get(1).bulkhead()).contains(BulkheadSettings.of(25));
  }

  @Test
  void ignoredExceptionsMustBeThrowablesOnTheClassPath() {
    assertThat(
            GuardDocuments.parse(
                    "guards.g.ignore-exceptions=java.lang.IllegalStateException, java.io.IOException",
                    GuardDocuments.Format.PROPERTIES)
                .get(0)
                .ignoredExceptions())
        .containsExactly(IllegalStateException.class, java.io.IOException.class);
    assertThatThrownBy(
            () ->
                GuardDocuments.parse(
                    "guards.g.ignore-exceptions=com.example.Missing",
                    GuardDocuments.Format.PROPERTIES))
        .hasMessage(
            "guards.g.ignore-exceptions = 'com.example.Missing': must name an exception class on"
                + " the class path");
    assertThatThrownBy(
            () ->
                GuardDocuments.parse(
                    "guards.g.ignore-exceptions=java.lang.String",
                    GuardDocuments.Format.PROPERTIES))
        .hasMessage(
            "guards.g.ignore-exceptions = 'java.lang.String': must name a subclass of"
                + " java.lang.Throwable");
  }

  @Test
  void jsonAndPropertiesReadTheSameKeys() {
    String json =
        """
        {"guards": {"exchange-link": {"deadline": "50ms",
          "circuit-breaker": {"failure-rate-threshold": 40, "sliding-window-size": 10},
          "bulkhead": {"max-concurrent-calls": 8}}}}
        """;
    String properties =
        """
        guards.exchange-link.deadline=50ms
        guards.exchange-link.circuit-breaker.failure-rate-threshold=40
        guards.exchange-link.circuit-breaker.sliding-window-size=10
        guards.exchange-link.bulkhead.max-concurrent-calls=8
        """;

    GuardSettings fromJson = GuardDocuments.parse(json, GuardDocuments.Format.JSON).get(0);
    GuardSettings fromProperties =
        GuardDocuments.parse(properties, GuardDocuments.Format.PROPERTIES).get(0);

    assertThat(fromProperties.toString()).isEqualTo(fromJson.toString());
    assertThat(fromJson.circuitBreaker().orElseThrow().failureRateThreshold()).isEqualTo(40);
    assertThat(fromJson.bulkhead()).contains(BulkheadSettings.of(8));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          circuit-breaker.failure-rate-threshold: 150 | guards.g.circuit-breaker.failure-rate-threshold = 150.0: must be between 0.001 and 100.0
          circuit-breaker.failure-rate-thresold: 50 | guards.g.circuit-breaker.failure-rate-thresold = '50': unknown key; known keys here: [sliding-window-type, sliding-window-size, minimum-number-of-calls, failure-rate-threshold, slow-call-rate-threshold, slow-call-duration-threshold, wait-duration-in-open-state, permitted-number-of-calls-in-half-open-state]
          circuit-breaker.sliding-window-type: SESSION | guards.g.circuit-breaker.sliding-window-type = 'SESSION': must be COUNT_BASED or TIME_BASED
          circuit-breaker.sliding-window-size: ten | guards.g.circuit-breaker.sliding-window-size = 'ten': must be a whole number
          circuit-breaker.wait-duration-in-open-state: 5 | guards.g.circuit-breaker.wait-duration-in-open-state = '5': must be a duration such as 500ms, 2s, 1m, 250us or PT0.5S
          circuit-breaker.wait-duration-in-open-state: 0ms | guards.g.circuit-breaker.wait-duration-in-open-state = PT0S: must be a positive duration
          bulkhead.max-concurrent-calls: 0 | guards.g.bulkhead.max-concurrent-calls = 0: must be between 1 and 100000
          thread-pool-bulkhead.queue-capacity: -1 | guards.g.thread-pool-bulkhead.queue-capacity = -1: must be between 0 and 100000
          rate-limiter.limit-refresh-period: 100us | guards.g.rate-limiter.limit-refresh-period = PT0.0001S: must be at least 1 ms
          load-shedding.min-limit: 50 | guards.g.load-shedding.initial-limit = 20: must be between 50 and 1000
          load-shedding.backoff-ratio: 1.5 | guards.g.load-shedding.backoff-ratio = 1.5: must be between 0.1 and 0.99
          deadline: -1s | guards.g.deadline = '-1s': must be a duration such as 500ms, 2s, 1m, 250us or PT0.5S
          idempotent: maybe | guards.g.idempotent = 'maybe': must be true or false
          latency-percentiles: yes | guards.g.latency-percentiles = 'yes': must be true or false
          timeout: 1s | guards.g.timeout = '1s': unknown key; known keys here: [idempotent, site-local, latency-percentiles, deadline, time-limit, circuit-breaker, bulkhead, thread-pool-bulkhead, rate-limiter, retry, load-shedding, ignore-exceptions]
          """)
  void invalidValueNamesGuardKeyValueAndRule(String line, String message) {
    String key = line.substring(0, line.indexOf(':'));
    String value = line.substring(line.indexOf(':') + 1).trim();
    String properties = "guards.g." + key + "=" + value;

    assertThatThrownBy(() -> GuardDocuments.parse(properties, GuardDocuments.Format.PROPERTIES))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(message);
  }

  @Test
  void loadSheddingInitialLimitOutsideItsBoundsIsRefused() {
    String yaml = "guards:\n  g:\n    load-shedding:\n      initial-limit: 5000\n";

    assertThatThrownBy(() -> GuardDocuments.parse(yaml, GuardDocuments.Format.YAML))
        .hasMessage("guards.g.load-shedding.initial-limit = 5000: must be between 1 and 1000");
  }

  @Test
  void retryOnANonIdempotentGuardIsRefusedSayingWhy() {
    String yaml = "guards:\n  order-entry:\n    retry:\n      max-attempts: 3\n";

    assertThatThrownBy(() -> GuardDocuments.parse(yaml, GuardDocuments.Format.YAML))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("guards.order-entry.retry = 'max-attempts=3': retry is refused")
        .hasMessageContaining("a resent order is a duplicate order");
  }

  @Test
  void unknownTopLevelSectionAndBadGuardNamesAreRefused() {
    assertThatThrownBy(() -> GuardDocuments.parse("gaurds:\n  g: {}\n", GuardDocuments.Format.YAML))
        .hasMessageStartingWith("gaurds = ")
        .hasMessageEndingWith("unknown key: only 'guards' is read");
    assertThatThrownBy(
            () ->
                GuardDocuments.parse("guards:\n  Exchange_Link: {}\n", GuardDocuments.Format.YAML))
        .hasMessageStartingWith("guards.<name> = 'Exchange_Link': a guard name must be lower-case");
    assertThatThrownBy(() -> GuardDocuments.parse("guards: [1, 2]", GuardDocuments.Format.YAML))
        .hasMessageEndingWith("must be a section (a map of keys)");
    assertThatThrownBy(() -> GuardDocuments.parse("guards: {", GuardDocuments.Format.YAML))
        .hasMessageContaining("the document is not valid YAML");
  }

  @Test
  void runtimeBuildFailsOnAnInvalidDocumentAndLoadsAValidOne(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("guards.yaml");
    Files.writeString(bad, "guards:\n  g:\n    bulkhead:\n      max-concurrent-calls: -3\n");
    Path good = dir.resolve("guards.yml");
    Files.writeString(good, FULL_YAML);

    assertThatThrownBy(() -> StabilityRuntime.builder(TestIdentities.oms("a1")).guards(bad))
        .hasMessage("guards.g.bulkhead.max-concurrent-calls = -3: must be between 1 and 100000");
    try (StabilityRuntime runtime =
        StabilityRuntime.builder(TestIdentities.oms("a1")).guards(good).build()) {
      assertThat(runtime.guards().all())
          .extracting(Guard::name)
          .containsExactly("exchange-link", "risk-check");
    }
  }

  @Test
  void unreadableOrUnknownFilesAreRefusedNamingTheFile(@TempDir Path dir) throws Exception {
    Path toml = dir.resolve("guards.toml");
    Files.writeString(toml, "[guards]");
    Path missing = dir.resolve("missing.yaml");

    assertThatThrownBy(() -> GuardDocuments.read(toml))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "guards = " + toml + ": the file must end in .yaml, .yml, .json or .properties");
    assertThatThrownBy(() -> GuardDocuments.read(missing))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("guards = " + missing + ": the file cannot be read");
  }

  @Test
  void duplicateGuardNamesFailTheBuild() {
    GuardSettings spec = GuardSettings.builder("g").build();

    assertThatThrownBy(
            () ->
                StabilityRuntime.builder(TestIdentities.oms("a1")).guard(spec).guard(spec).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("guards.g = 'g': a guard with this name is already registered");
  }
}
