package dev.stability.core.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stability.api.ConfigurationException;
import dev.stability.api.guard.RateLimitedException;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an application gets from {@code stability-core} alone: the guards without Kotlin's standard
 * library (excluded from Resilience4j) and without Jackson's YAML and properties modules (optional
 * dependencies). Runs only in the surefire execution {@code without-optional-dependencies}, whose
 * class path lacks those jars; the other guard tests of this package run there too.
 */
class OptionalFormatsAbsentTest {

  @BeforeAll
  static void onlyWithoutTheOptionalJars() {
    assumeTrue(
        Boolean.getBoolean("stability.test.without-optional-dependencies"),
        "runs in the surefire execution without-optional-dependencies");
  }

  @Test
  void theRunsClassPathLacksKotlinAndTheOptionalJacksonFormats() {
    for (String absent :
        new String[] {
          "kotlin.Unit",
          "com.fasterxml.jackson.dataformat.yaml.YAMLMapper",
          "org.yaml.snakeyaml.Yaml",
          "com.fasterxml.jackson.dataformat.javaprop.JavaPropsMapper"
        }) {
      assertThatThrownBy(() -> Class.forName(absent))
          .as(absent)
          .isInstanceOf(ClassNotFoundException.class);
    }
  }

  @Test
  void aYamlDocumentFailsNamingTheArtifactToAdd(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("guards.yaml"), "guards:\n  exchange-link:\n");

    assertThatThrownBy(() -> GuardDocuments.read(file))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "guards = YAML: reading YAML guard documents needs"
                + " com.fasterxml.jackson.dataformat:jackson-dataformat-yaml (an optional"
                + " dependency of stability-core): add it to the application's dependencies, or"
                + " write the document in JSON");
    assertThatThrownBy(() -> TestRuntimes.quiet("a1").guards(file))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("jackson-dataformat-yaml");
  }

  @Test
  void aPropertiesDocumentFailsNamingTheArtifactToAdd() {
    assertThatThrownBy(
            () ->
                GuardDocuments.parse(
                    "guards.exchange-link.bulkhead.max-concurrent-calls=4",
                    GuardDocuments.Format.PROPERTIES))
        .isInstanceOf(ConfigurationException.class)
        .satisfies(
            e -> {
              ConfigurationException c = (ConfigurationException) e;
              assertThat(c.key()).isEqualTo("guards");
              assertThat(c.value()).isEqualTo("PROPERTIES");
              assertThat(c.rule())
                  .startsWith(
                      "reading PROPERTIES guard documents needs"
                          + " com.fasterxml.jackson.dataformat:jackson-dataformat-properties");
            });
  }

  @Test
  void guardsFromJsonAndFromCodeRunEveryPolicy(@TempDir Path dir) throws Exception {
    Path json =
        Files.writeString(
            dir.resolve("guards.json"),
            """
            {"guards": {"exchange-link": {
              "deadline": "1s",
              "circuit-breaker": {"sliding-window-size": 10, "minimum-number-of-calls": 2},
              "bulkhead": {"max-concurrent-calls": 4},
              "rate-limiter": {"limit-for-period": 2, "limit-refresh-period": "1h"},
              "thread-pool-bulkhead": {"max-thread-pool-size": 1, "queue-capacity": 1}
            }}}
            """);
    try (StabilityRuntime runtime =
        TestRuntimes.quiet("a1")
            .guards(json)
            .guard(
                GuardSettings.builder("risk-check")
                    .idempotent(true)
                    .retry(
                        new RetrySettings(3, Duration.ofMillis(1), 1.0, 0.0, Duration.ofMillis(1)))
                    .loadShedding(LoadSheddingSettings.defaults())
                    .build())
            .build()) {
      Guard link = runtime.guards().guard("exchange-link");
      assertThat(link.call(() -> "sent")).isEqualTo("sent");
      assertThat(link.submit(() -> "pooled").toCompletableFuture().get(10, TimeUnit.SECONDS))
          .isEqualTo("pooled");
      assertThatThrownBy(() -> link.call(() -> "third")).isInstanceOf(RateLimitedException.class);

      int[] attempts = {0};
      Guard risk = runtime.guards().guard("risk-check");
      assertThat(
              risk.call(
                  () -> {
                    if (++attempts[0] < 3) {
                      throw new IllegalStateException("transient");
                    }
                    return "checked";
                  }))
          .isEqualTo("checked");
      assertThat(attempts[0]).isEqualTo(3);
    }
  }
}
