package dev.stability.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.ConfigurationException;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.guard.GuardDocuments;
import dev.stability.core.guard.GuardSettings;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The guard documents shown in docs/guards.md read as the page says. */
class GuardDocumentExamplesTest {

  @Test
  void theCompleteYamlExampleDefinesBothGuardsWithEverySection() throws Exception {
    List<GuardSettings> guards = GuardDocuments.read(resource("guard-document-example.yaml"));

    assertThat(guards)
        .extracting(GuardSettings::name)
        .containsExactly("exchange-link", "reference-data");
    GuardSettings link = guards.get(0);
    assertThat(link.latencyPercentiles()).isTrue();
    assertThat(link.deadline()).contains(Duration.ofMillis(50));
    assertThat(link.timeLimit()).contains(Duration.ofMillis(200));
    assertThat(link.circuitBreaker().orElseThrow().minimumNumberOfCalls()).isEqualTo(20);
    assertThat(link.circuitBreaker().orElseThrow().slowCallDurationThreshold())
        .isEqualTo(Duration.ofMillis(20));
    assertThat(link.bulkhead().orElseThrow().maxConcurrentCalls()).isEqualTo(64);
    assertThat(link.threadPoolBulkhead()).isPresent();
    assertThat(link.rateLimiter().orElseThrow().limitForPeriod()).isEqualTo(5000);
    assertThat(link.loadShedding()).isPresent();
    assertThat(link.ignoredExceptions()).containsExactly(IllegalStateException.class);
    GuardSettings reference = guards.get(1);
    assertThat(reference.idempotent()).isTrue();
    assertThat(reference.latencyPercentiles()).isFalse();
    assertThat(reference.retry().orElseThrow().maxAttempts()).isEqualTo(3);
    assertThat(reference.circuitBreaker().orElseThrow().minimumNumberOfCalls()).isEqualTo(100);
  }

  @Test
  void thePropertiesAndJsonFormsReadLikeTheYaml() throws Exception {
    for (String file :
        List.of("guard-document-example.properties", "guard-document-example.json")) {
      GuardSettings link = GuardDocuments.read(resource(file)).get(0);
      assertThat(link.name()).as(file).isEqualTo("exchange-link");
      assertThat(link.deadline()).as(file).contains(Duration.ofMillis(50));
      assertThat(link.circuitBreaker().orElseThrow().waitDurationInOpenState())
          .as(file)
          .isEqualTo(Duration.ofSeconds(5));
      assertThat(link.bulkhead().orElseThrow().maxConcurrentCalls()).as(file).isEqualTo(64);
      assertThat(link.ignoredExceptions()).as(file).containsExactly(IllegalStateException.class);
    }
  }

  @Test
  void aGuardDefinedInCodeAndInTheDocumentIsRefused() throws Exception {
    Path document = resource("guard-document-example.yaml");
    assertThatThrownBy(
            () ->
                StabilityRuntime.builder(
                        dev.stability.api.ServiceIdentity.builder()
                            .systemCode("OMS")
                            .subsystem("order-entry")
                            .instanceId("oms-a1")
                            .build())
                    .guard(GuardSettings.builder("exchange-link").build())
                    .guards(document)
                    .build()
                    .close())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "guards.exchange-link = 'exchange-link': a guard with this name is already"
                + " registered");
  }

  @Test
  void aBadValueNamesTheFullKeyTheValueAndTheRule() {
    assertThatThrownBy(
            () ->
                GuardDocuments.parse(
                    "guards:\n  exchange-link:\n    circuit-breaker:\n"
                        + "      failure-rate-threshold: 150\n",
                    GuardDocuments.Format.YAML))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "guards.exchange-link.circuit-breaker.failure-rate-threshold = 150.0: must be between"
                + " 0.001 and 100.0");
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(GuardDocumentExamplesTest.class.getResource("/" + name).toURI());
  }
}
