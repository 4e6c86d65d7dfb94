package dev.stability.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stability.api.ConfigurationException;
import dev.stability.api.Role;
import dev.stability.api.Site;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.capacity.CapacityBasis;
import dev.stability.core.capacity.CapacityIndicator;
import dev.stability.core.guard.CircuitBreakerSettings;
import dev.stability.core.guard.GuardDocuments;
import dev.stability.core.guard.GuardSettings;
import dev.stability.ops.OpsEndpoint;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;
import java.util.List;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Each {@code stability.*} group reaches the SDK's settings, and bad values fail with its rules.
 */
class StabilityPropertiesTest {

  static final String[] IDENTITY = {
    "stability.identity.system-code=OMS",
    "stability.identity.subsystem=order-entry",
    "stability.identity.instance-id=oms-a1"
  };

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(StabilityAutoConfiguration.class))
          .withPropertyValues(IDENTITY);

  /** The startup failure's SDK exception, which the failure analyzer shows. */
  static ConfigurationException configurationFailure(AssertableApplicationContext context) {
    assertThat(context).hasFailed();
    Throwable t = context.getStartupFailure();
    while (t != null && !(t instanceof ConfigurationException)) {
      t = t.getCause();
    }
    assertThat(t).as("a ConfigurationException in %s", context.getStartupFailure()).isNotNull();
    return (ConfigurationException) t;
  }

  @Test
  void identityPropertiesBecomeTheRuntimesIdentity() {
    runner
        .withPropertyValues(
            "stability.identity.site=SAME_CITY_DR",
            "stability.identity.role=STANDBY",
            "stability.identity.grade=2")
        .run(
            context -> {
              StabilityRuntime runtime = context.getBean(StabilityRuntime.class);
              assertThat(runtime.identity().systemCode()).isEqualTo("OMS");
              assertThat(runtime.identity().subsystem()).isEqualTo("order-entry");
              assertThat(runtime.identity().instanceId()).isEqualTo("oms-a1");
              assertThat(runtime.identity().site()).isEqualTo(Site.SAME_CITY_DR);
              assertThat(runtime.role()).isEqualTo(Role.STANDBY);
              assertThat(runtime.identity().grade()).isEqualTo(2);
            });
  }

  @Test
  void missingSystemCodeFailsStartupNamingTheProperty() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(StabilityAutoConfiguration.class))
        .withPropertyValues(
            "stability.identity.subsystem=order-entry", "stability.identity.instance-id=oms-a1")
        .run(
            context ->
                assertThat(configurationFailure(context))
                    .hasMessage("stability.identity.system-code = null: must be set"));
  }

  @Test
  void badGradeFailsStartupWithTheIdentityRule() {
    runner
        .withPropertyValues("stability.identity.grade=7")
        .run(
            context ->
                assertThat(configurationFailure(context))
                    .hasMessage("stability.identity.grade = 7: must be between 1 (highest) and 4"));
  }

  @Test
  void guardPropertiesTakeTheGuardDocumentsKeysAndFormats() {
    runner
        .withPropertyValues(
            "stability.guards.exchange-link.deadline=1.5ms",
            "stability.guards.exchange-link.latency-percentiles=true",
            "stability.guards.exchange-link.circuit-breaker.sliding-window-type=time-based",
            "stability.guards.exchange-link.circuit-breaker.failure-rate-threshold=25",
            "stability.guards.exchange-link.circuit-breaker.wait-duration-in-open-state=PT2S",
            "stability.guards.exchange-link.bulkhead.max-concurrent-calls=7",
            "stability.guards.exchange-link.ignore-exceptions[0]=java.lang.IllegalStateException",
            "stability.guards.exchange-link.ignore-exceptions[1]=java.io.FileNotFoundException",
            "stability.guards.reference-data.idempotent=true",
            "stability.guards.reference-data.retry.max-attempts=4",
            "stability.guards.reference-data.circuit-breaker=")
        .run(
            context -> {
              StabilityRuntime runtime = context.getBean(StabilityRuntime.class);
              GuardSettings link = runtime.guards().guard("exchange-link").settings();
              assertThat(link.deadline()).contains(Duration.ofNanos(1_500_000));
              assertThat(link.latencyPercentiles()).isTrue();
              CircuitBreakerSettings breaker = link.circuitBreaker().orElseThrow();
              assertThat(breaker.slidingWindowType())
                  .isEqualTo(CircuitBreakerSettings.WindowType.TIME_BASED);
              assertThat(breaker.failureRateThreshold()).isEqualTo(25f);
              assertThat(breaker.waitDurationInOpenState()).isEqualTo(Duration.ofSeconds(2));
              assertThat(link.bulkhead().orElseThrow().maxConcurrentCalls()).isEqualTo(7);
              assertThat(link.ignoredExceptions())
                  .containsExactlyInAnyOrder(
                      IllegalStateException.class, java.io.FileNotFoundException.class);
              GuardSettings reference = runtime.guards().guard("reference-data").settings();
              assertThat(reference.retry().orElseThrow().maxAttempts()).isEqualTo(4);
              assertThat(reference.latencyPercentiles()).isFalse();
              assertThat(reference.circuitBreaker()).isPresent(); // empty section: defaults
            });
  }

  @Test
  void guardPropertiesFromYamlKeepTheirOrderAndOverridesWin() {
    runner
        .withPropertyValues(
            "stability.guards.b-link.deadline=5ms",
            "stability.guards.a-link.deadline=7ms",
            "stability.guards.b-link.deadline=${link.deadline:9ms}")
        .run(
            context -> {
              StabilityRuntime runtime = context.getBean(StabilityRuntime.class);
              assertThat(runtime.guards().guard("b-link").settings().deadline())
                  .contains(Duration.ofMillis(9));
              assertThat(runtime.guards().guard("a-link").settings().deadline())
                  .contains(Duration.ofMillis(7));
            });
  }

  @Test
  void badGuardValueFailsWithTheGuardDocumentsMessageUnderThePropertyKey() {
    runner
        .withPropertyValues("stability.guards.exchange-link.deadline=soon")
        .run(
            context ->
                assertThat(configurationFailure(context))
                    .hasMessage(
                        "stability.guards.exchange-link.deadline = 'soon': must be a duration"
                            + " such as 500ms, 2s, 1m, 250us or PT0.5S"));
  }

  @Test
  void unknownGuardKeyFailsWithTheKnownKeys() {
    runner
        .withPropertyValues("stability.guards.exchange-link.circuit-breaker.failure-rate=50")
        .run(
            context -> {
              ConfigurationException e = configurationFailure(context);
              assertThat(e.key())
                  .isEqualTo("stability.guards.exchange-link.circuit-breaker.failure-rate");
              assertThat(e.rule()).startsWith("unknown key; known keys here: [sliding-window-type");
            });
  }

  @Test
  void retryOnANonIdempotentGuardIsRefusedAtStartupAsInTheGuardDocument() {
    ConfigurationException fromDocument =
        catchConfiguration(
            () ->
                GuardDocuments.parse(
                    "guards:\n  exchange-link:\n    retry:\n      max-attempts: 3\n",
                    GuardDocuments.Format.YAML));
    runner
        .withPropertyValues("stability.guards.exchange-link.retry.max-attempts=3")
        .run(
            context -> {
              ConfigurationException e = configurationFailure(context);
              assertThat(e.getMessage()).isEqualTo("stability." + fromDocument.getMessage());
              assertThat(e.rule()).contains("not idempotent");
            });
  }

  @Test
  void healthPropertiesReachHealthSettings() {
    runner
        .withPropertyValues(
            "stability.health.cache-for=3s", "stability.health.built-in-checks=false")
        .run(
            context -> {
              StabilityRuntime runtime = context.getBean(StabilityRuntime.class);
              assertThat(runtime.health().cacheFor()).isEqualTo(Duration.ofSeconds(3));
              assertThat(runtime.health().lastResults()).isEmpty();
            });
  }

  @Test
  void badHealthTimeoutFailsWithTheHealthRule() {
    runner
        .withPropertyValues("stability.health.timeout=2m")
        .run(
            context ->
                assertThat(configurationFailure(context))
                    .hasMessage("stability.health.timeout = PT2M: must be between 1 ms and 60 s"));
  }

  @Test
  void capacityPropertiesDeclareIndicators(@TempDir Path dir) {
    runner
        .withPropertyValues(
            "stability.capacity.indicators=orders,trades",
            "stability.capacity.store=" + dir.resolve("capacity.json"),
            "stability.capacity.required-headroom=4")
        .run(
            context -> {
              StabilityRuntime runtime = context.getBean(StabilityRuntime.class);
              assertThat(runtime.capacity().all()).hasSize(2);
              assertThat(runtime.capacity().indicator("orders")).isNotNull();
              assertThat(runtime.capacity().requiredHeadroom()).isEqualTo(4.0);
            });
  }

  @Test
  void capacityPropertiesSetAMultiplePerIndicatorAProvisionedCapacityTheWindowAndTheCalendar() {
    runner
        .withPropertyValues(
            "stability.capacity.indicators=orders,trades,bandwidth",
            "stability.capacity.required-multiples.bandwidth=2",
            "stability.capacity.provisioned.bandwidth=125000000",
            "stability.capacity.peak-window=6m",
            "stability.capacity.calendar=china-equities")
        .run(
            context -> {
              StabilityRuntime runtime = context.getBean(StabilityRuntime.class);
              CapacityIndicator bandwidth = runtime.capacity().indicator("bandwidth");
              assertThat(bandwidth.requiredMultiple()).isEqualTo(2.0);
              assertThat(bandwidth.provisionedCapacity()).isEqualTo(125_000_000.0);
              assertThat(bandwidth.capacityBasis()).isEqualTo(CapacityBasis.PROVISIONED);
              assertThat(runtime.capacity().indicator("orders").requiredMultiple()).isEqualTo(3.0);
              assertThat(runtime.capacity().peakWindow()).isEqualTo(Period.ofMonths(6));
            });
  }

  @Test
  void interfaceCounterPropertiesFeedAnIndicatorFromTheHostsCountersAndRefuseAMissingInterface(
      @TempDir Path dir) throws IOException {
    Path counters = dir.resolve("net-dev");
    Files.writeString(
        counters,
        "Inter-|   Receive |  Transmit\n"
            + " face |bytes    packets|bytes    packets\n"
            + "  eth0: 100 1 0 0 0 0 0 0 50 1 0 0 0 0 0 0\n");
    runner
        .withPropertyValues(
            "stability.capacity.indicators=orders,bandwidth",
            "stability.capacity.provisioned.bandwidth=125000000",
            "stability.capacity.interface-counters.bandwidth=eth0",
            "stability.capacity.interface-counters-file=" + counters)
        .run(
            context ->
                assertThat(
                        context
                            .getBean(StabilityRuntime.class)
                            .health()
                            .check("capacity")
                            .details())
                    .containsEntry("bandwidth.source", "interface eth0"));
    runner
        .withPropertyValues(
            "stability.capacity.indicators=bandwidth",
            "stability.capacity.interface-counters.bandwidth=eth9",
            "stability.capacity.interface-counters-file=" + counters)
        .run(
            context ->
                assertThat(configurationFailure(context))
                    .hasMessageContaining(
                        "interface-counters.bandwidth = 'eth9': is not a network interface of"
                            + " this host")
                    .hasMessageContaining("lists: [eth0]"));
  }

  @Test
  void aNegativeMultipleFailsUnderItsPropertyKey() {
    runner
        .withPropertyValues(
            "stability.capacity.indicators=bandwidth",
            "stability.capacity.required-multiples.bandwidth=-2")
        .run(
            context ->
                assertThat(configurationFailure(context))
                    .hasMessage(
                        "stability.capacity.required-multiples.bandwidth = -2.0: must be between"
                            + " 1.0 and 100.0"));
  }

  @Test
  void badIndicatorNameFailsWithTheCapacityRule() {
    runner
        .withPropertyValues("stability.capacity.indicators=Orders")
        .run(
            context -> {
              ConfigurationException e = configurationFailure(context);
              assertThat(e.key()).isEqualTo("stability.capacity.indicators");
              assertThat(e.value()).isEqualTo("Orders");
            });
  }

  @Test
  void operationsPropertiesSetTheCalendarAndLog(@TempDir Path dir) {
    runner
        .withPropertyValues(
            "stability.operations.calendar=china-equities",
            "stability.operations.log-file=" + dir.resolve("ops.log"))
        .run(
            context -> {
              StabilityRuntime runtime = context.getBean(StabilityRuntime.class);
              assertThat(runtime.operations().changeWindow()).isPresent();
            });
  }

  @Test
  void shortRetentionFailsWithTheOperationsRule() {
    runner
        .withPropertyValues("stability.operations.retention=30d")
        .run(
            context ->
                assertThat(configurationFailure(context))
                    .hasMessage(
                        "stability.operations.retention = PT720H: must be at least 365 days (R4:"
                            + " logs are kept a year)"));
  }

  @Test
  void unknownCalendarFailsNamingThePresets() {
    runner
        .withPropertyValues("stability.operations.calendar=nyse")
        .run(
            context ->
                assertThat(configurationFailure(context))
                    .hasMessage(
                        "stability.operations.calendar = 'nyse': must be china-equities, or unset"
                            + " for no calendar"));
  }

  @Test
  void opsPropertiesStartTheOpsEndpointOnLoopback() {
    runner
        .withPropertyValues("stability.ops.enabled=true", "stability.ops.port=0")
        .run(
            context -> {
              OpsEndpoint endpoint = context.getBean(OpsEndpoint.class);
              assertThat(endpoint.address().getAddress().isLoopbackAddress()).isTrue();
              HttpResponse<String> guards = get(endpoint.uri().resolve("/guards"));
              assertThat(guards.statusCode()).isEqualTo(200);
            });
  }

  @Test
  void opsEndpointIsOffUnlessEnabled() {
    runner.run(context -> assertThat(context).doesNotHaveBean(OpsEndpoint.class));
  }

  @Test
  void shortOpsTokenFailsWithoutShowingIt() {
    runner
        .withPropertyValues("stability.ops.enabled=true", "stability.ops.tokens.alice=short-secret")
        .run(
            context -> {
              ConfigurationException e = configurationFailure(context);
              assertThat(e.key()).isEqualTo("stability.ops.tokens.alice");
              assertThat(e.getMessage()).doesNotContain("short-secret");
            });
  }

  @Test
  void configurationMetadataDescribesEveryGroupForIdes() throws IOException {
    com.fasterxml.jackson.databind.JsonNode metadata;
    try (var in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("generated by spring-boot-configuration-processor").isNotNull();
      metadata = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
    }
    java.util.Map<String, String> descriptions = new java.util.HashMap<>();
    metadata
        .path("properties")
        .forEach(p -> descriptions.put(p.path("name").asText(), p.path("description").asText()));
    assertThat(descriptions)
        .containsKeys(
            "stability.enabled",
            "stability.identity.system-code",
            "stability.guards",
            "stability.health.timeout",
            "stability.health.probe-groups",
            "stability.capacity.indicators",
            "stability.operations.retention",
            "stability.ops.port",
            "stability.logging.json");
    assertThat(descriptions.get("stability.health.timeout")).contains("1 ms to 60 s");
    assertThat(metadata.toString())
        .contains(
            "java.util.Map<java.lang.String,dev.stability.spring.autoconfigure.GuardPropertiesMetadata$Guard>");
  }

  private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static ConfigurationException catchConfiguration(ThrowableAssert.ThrowingCallable call) {
    try {
      call.call();
    } catch (ConfigurationException e) {
      return e;
    } catch (Throwable t) {
      throw new AssertionError("expected a ConfigurationException", t);
    }
    throw new AssertionError("expected a ConfigurationException");
  }

  static List<String> identity() {
    return List.of(IDENTITY);
  }
}
