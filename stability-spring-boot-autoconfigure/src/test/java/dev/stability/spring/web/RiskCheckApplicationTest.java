package dev.stability.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stability.api.guard.CircuitOpenException;
import dev.stability.api.guard.CircuitState;
import dev.stability.api.health.HealthCheck;
import dev.stability.api.health.HealthKind;
import dev.stability.api.health.HealthResult;
import dev.stability.api.metric.StabilityMetric;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.guard.Guard;
import dev.stability.spring.guard.Guarded;
import dev.stability.testkit.fault.Faults;
import io.micrometer.core.instrument.Meter;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A pre-trade risk-check service on a real port, configured from application-riskcheck.yml:
 * Actuator probes follow the SDK's checks, Prometheus carries the catalog's names, and a
 * {@code @Guarded} route opens its breaker under the test kit's injected faults while the fallback
 * answers.
 */
@SpringBootTest(
    classes = RiskCheckApplicationTest.RiskCheckApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("riskcheck")
@AutoConfigureObservability(tracing = false)
class RiskCheckApplicationTest {

  /** The answers the service's own checks give; tests set them. */
  static final AtomicReference<HealthResult> venueSession =
      new AtomicReference<>(HealthResult.up());

  static final AtomicReference<HealthResult> matchingHeartbeat =
      new AtomicReference<>(HealthResult.up());

  @SpringBootApplication
  static class RiskCheckApplication {
    @Bean
    HealthCheck venueSession() {
      return HealthCheck.of("venue-session", HealthKind.READINESS, 1, venueSession::get);
    }

    @Bean
    HealthCheck matchingHeartbeat() {
      return HealthCheck.of("matching-heartbeat", HealthKind.LIVENESS, 1, matchingHeartbeat::get);
    }

    @Bean
    VenueLink venueLink() {
      return new VenueLink();
    }

    @Bean
    OrderController orderController(VenueLink link) {
      return new OrderController(link);
    }
  }

  /** Sends a checked order on to the venue, through the exchange-link guard. */
  static class VenueLink {
    @Guarded(value = "exchange-link", fallbackMethod = "holdLocally")
    public String route(String order) {
      return "routed " + order;
    }

    String holdLocally(String order, CircuitOpenException open) {
      return "held " + order + ": breaker open";
    }

    String holdLocally(String order, Exception failure) {
      return "held " + order + ": " + failure.getMessage();
    }
  }

  /**
   * Declared as a bean above (nested classes of a test are not scanned); the annotation maps it.
   */
  @RestController
  static class OrderController {
    private final VenueLink link;

    OrderController(VenueLink link) {
      this.link = link;
    }

    @GetMapping("/orders/{id}")
    String route(@PathVariable("id") String id) {
      return link.route(id);
    }
  }

  @Autowired TestRestTemplate http;
  @Autowired StabilityRuntime runtime;

  @AfterEach
  void restore() {
    venueSession.set(HealthResult.up());
    matchingHeartbeat.set(HealthResult.up());
    runtime.guards().guard("exchange-link").reset();
  }

  @Test
  void readinessProbeGoesDownWithAGradeOneSdkCheckAndComesBack() throws IOException {
    ResponseEntity<String> up = http.getForEntity("/actuator/health/readiness", String.class);
    assertThat(up.getStatusCode().value()).isEqualTo(200);
    assertThat(json(up.getBody()).path("status").asText()).isEqualTo("UP");

    venueSession.set(HealthResult.down("venue refused logon"));
    ResponseEntity<String> down = http.getForEntity("/actuator/health/readiness", String.class);
    assertThat(down.getStatusCode().value()).isEqualTo(503);
    assertThat(json(down.getBody()).path("status").asText()).isEqualTo("DOWN");
    // The probe group shows no components; the full health endpoint says which one is down.
    JsonNode sdk =
        json(http.getForObject("/actuator/health", String.class))
            .path("components")
            .path("stabilityReadiness");
    assertThat(sdk.path("status").asText()).isEqualTo("DOWN");
    assertThat(sdk.path("details").path("checks").path("venue-session").path("reason").asText())
        .isEqualTo("venue refused logon");

    venueSession.set(HealthResult.up());
    assertThat(
            http.getForEntity("/actuator/health/readiness", String.class).getStatusCode().value())
        .isEqualTo(200);
  }

  @Test
  void livenessProbeFollowsAnSdkLivenessCheckAndNotReadiness() throws IOException {
    venueSession.set(HealthResult.down("venue refused logon"));
    assertThat(http.getForEntity("/actuator/health/liveness", String.class).getStatusCode().value())
        .isEqualTo(200);

    matchingHeartbeat.set(HealthResult.down("no heartbeat for 3 s"));
    ResponseEntity<String> down = http.getForEntity("/actuator/health/liveness", String.class);
    assertThat(down.getStatusCode().value()).isEqualTo(503);
    assertThat(json(down.getBody()).path("status").asText()).isEqualTo("DOWN");
    assertThat(
            json(http.getForObject("/actuator/health", String.class))
                .path("components")
                .path("stabilityLiveness")
                .path("status")
                .asText())
        .isEqualTo("DOWN");
  }

  @Test
  void prometheusParsesLineByLineAndCarriesTheCatalogNames() {
    assertThat(http.getForObject("/orders/O-1", String.class)).isEqualTo("routed O-1");
    String text = http.getForObject("/actuator/prometheus", String.class);

    // name, then {label="value",...} with escaped quotes allowed in values, then value [timestamp]
    Pattern sample =
        Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)"
                + "(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*\\})?"
                + " (-?[0-9.eE+-]+|NaN|[+-]Inf)( -?\\d+)?");
    Set<String> series = new TreeSet<>();
    List<String> guardCalls = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
        continue;
      }
      Matcher m = sample.matcher(line);
      assertThat(m.matches()).as("a Prometheus sample line: %s", line).isTrue();
      series.add(m.group(1));
      if (m.group(1).startsWith("stability_guard_calls")) {
        guardCalls.add(line);
      }
    }

    // Every SDK meter the runtime registered is there under its catalog name...
    Set<String> sdkMeters = new TreeSet<>();
    for (Meter meter : runtime.meterRegistry().getMeters()) {
      if (meter.getId().getName().startsWith("stability.")) {
        sdkMeters.add(meter.getId().getName());
      }
    }
    assertThat(sdkMeters).contains("stability.guard.calls", "stability.health.status");
    for (String name : sdkMeters) {
      String prefix = name.replace('.', '_');
      assertThat(series).as("series for %s", name).anyMatch(s -> s.startsWith(prefix));
    }
    // ...and every stability_ series is a catalog name.
    List<String> catalog = new ArrayList<>();
    for (StabilityMetric metric : StabilityMetric.values()) {
      catalog.add(metric.metricName().replace('.', '_'));
    }
    assertThat(series.stream().filter(s -> s.startsWith("stability_")))
        .isNotEmpty()
        .allMatch(s -> catalog.stream().anyMatch(s::startsWith), "is a catalog name");
    assertThat(series)
        .contains(
            "stability_guard_calls_seconds_count", "stability_health_status", "stability_role");
    assertThat(guardCalls).anyMatch(l -> l.contains("guard=\"exchange-link\""));
  }

  @Test
  void tradingReadinessEndpointRunsThePreOpenReport() throws IOException {
    JsonNode passed = json(http.getForObject("/actuator/tradingreadiness", String.class));
    assertThat(passed.path("system").asText()).isEqualTo("OMS");
    assertThat(passed.path("instance").asText()).isEqualTo("risk-a1");
    List<String> names = new ArrayList<>();
    passed.path("checks").forEach(c -> names.add(c.path("name").asText()));
    assertThat(names).contains("venue-session", "guards").doesNotContain("matching-heartbeat");

    venueSession.set(HealthResult.down("venue refused logon"));
    JsonNode failed = json(http.getForObject("/actuator/tradingreadiness", String.class));
    assertThat(failed.path("passed").asBoolean()).isFalse();
    assertThat(failed.path("status").asText()).isEqualTo("DOWN");
  }

  @Test
  void guardedRouteOpensItsBreakerUnderInjectedFaultsAndTheFallbackAnswers() throws Exception {
    Guard link = runtime.guards().guard("exchange-link");
    assertThat(http.getForObject("/orders/O-1", String.class)).isEqualTo("routed O-1");
    try (Faults.Injection fault =
        Faults.inject(link, Faults.exception(() -> new IOException("venue unreachable")))) {
      // Window of 4 with the success above: the third failure makes 75% and opens the breaker.
      for (int i = 2; i <= 4; i++) {
        assertThat(http.getForObject("/orders/O-" + i, String.class))
            .isEqualTo("held O-" + i + ": venue unreachable");
      }
      assertThat(link.circuitState()).isEqualTo(CircuitState.OPEN);
      assertThat(http.getForObject("/orders/O-5", String.class))
          .isEqualTo("held O-5: breaker open");
    }
    // The fault is gone but the breaker stays open for its wait duration (1 minute).
    assertThat(http.getForObject("/orders/O-6", String.class)).isEqualTo("held O-6: breaker open");
    assertThat(runtime.guards().guard("reference-data").settings().retry()).isPresent();
    assertThat(link.settings().deadline()).contains(Duration.ofMillis(500));
  }

  private static JsonNode json(String body) throws IOException {
    return new ObjectMapper().readTree(body);
  }
}
