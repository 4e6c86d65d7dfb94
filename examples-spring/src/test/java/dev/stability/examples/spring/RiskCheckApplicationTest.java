package dev.stability.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stability.api.guard.CircuitState;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.guard.Guard;
import dev.stability.testkit.fault.Faults;
import java.io.IOException;
import java.math.BigDecimal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;

/**
 * The example service as it runs (its own application.yml, a real port): probes, orders, the
 * guarded send's fallback under the test kit's injected faults, and Prometheus.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability(tracing = false) // tests switch metrics export off unless asked
class RiskCheckApplicationTest {

  @Autowired TestRestTemplate http;
  @Autowired StabilityRuntime runtime;

  private Guard link;

  @BeforeEach
  void freshBreaker() {
    link = runtime.guards().guard("exchange-link");
    link.reset();
  }

  @AfterEach
  void endOutage() {
    http.delete("/simulator/venue-outage");
    link.reset();
  }

  @Test
  void readinessIsUpAndFollowsTheVenueSessionCheck() throws IOException {
    ResponseEntity<String> up = http.getForEntity("/actuator/health/readiness", String.class);
    assertThat(up.getStatusCode().value()).isEqualTo(200);
    assertThat(json(up.getBody()).path("status").asText()).isEqualTo("UP");

    http.postForEntity("/simulator/venue-outage?reason=logon refused", null, Void.class);
    ResponseEntity<String> down = http.getForEntity("/actuator/health/readiness", String.class);
    assertThat(down.getStatusCode().value()).isEqualTo(503);
    JsonNode report = json(http.getForObject("/actuator/tradingreadiness", String.class));
    assertThat(report.path("passed").asBoolean()).isFalse();

    http.delete("/simulator/venue-outage");
    assertThat(
            http.getForEntity("/actuator/health/readiness", String.class).getStatusCode().value())
        .isEqualTo(200);
  }

  @Test
  void ordersAreAcceptedOrRejectedByTheLimits() {
    ResponseEntity<OrderResult> accepted =
        http.postForEntity("/orders", order("C-1", 100, "1450.00"), OrderResult.class);
    assertThat(accepted.getStatusCode().value()).isEqualTo(200);
    assertThat(accepted.getBody().status()).isEqualTo(OrderResult.Status.ACCEPTED);
    assertThat(accepted.getBody().venueOrderId()).startsWith("V-");

    ResponseEntity<OrderResult> tooFar =
        http.postForEntity("/orders", order("C-2", 100, "1700.00"), OrderResult.class);
    assertThat(tooFar.getStatusCode().value()).isEqualTo(422);
    assertThat(tooFar.getBody().reason()).contains("from last 1450.00");

    ResponseEntity<OrderResult> tooBig =
        http.postForEntity("/orders", order("C-3", 5_000, "1450.00"), OrderResult.class);
    assertThat(tooBig.getBody().status()).isEqualTo(OrderResult.Status.REJECTED);
    assertThat(tooBig.getBody().reason()).startsWith("notional 7250000.00 over");
  }

  @Test
  void theGuardedSendHoldsOrdersWhenTheLinkFailsAndOnceItsBreakerIsOpen() {
    try (Faults.Injection fault =
        Faults.inject(link, Faults.exception(() -> new IOException("venue unreachable")))) {
      // minimum-number-of-calls 5, failure-rate-threshold 50: the fifth failure opens the breaker
      for (int i = 1; i <= 5; i++) {
        ResponseEntity<OrderResult> held =
            http.postForEntity("/orders", order("F-" + i, 100, "1450.00"), OrderResult.class);
        assertThat(held.getStatusCode().value()).isEqualTo(202);
        assertThat(held.getBody().reason()).isEqualTo("exchange link failed: venue unreachable");
      }
      assertThat(link.circuitState()).isEqualTo(CircuitState.OPEN);
    }
    // The fault is gone, but the breaker stays open for its wait duration: refused, still held.
    OrderResult refused =
        http.postForObject("/orders", order("F-6", 100, "1450.00"), OrderResult.class);
    assertThat(refused.status()).isEqualTo(OrderResult.Status.HELD);
    assertThat(refused.reason()).startsWith("exchange link refused:");
  }

  @Test
  void prometheusCarriesTheSdkSeries() {
    http.postForEntity("/orders", order("P-1", 100, "1450.00"), OrderResult.class);
    String text = http.getForObject("/actuator/prometheus", String.class);
    assertThat(text)
        .contains("stability_guard_calls_seconds_count{")
        .contains("guard=\"exchange-link\"")
        .contains("guard=\"reference-data\"")
        .contains("stability_health_status");
  }

  @Test
  void tradingReadinessReportNamesTheServiceAndItsChecks() throws IOException {
    JsonNode report = json(http.getForObject("/actuator/tradingreadiness", String.class));
    assertThat(report.path("system").asText()).isEqualTo("OMS");
    assertThat(report.path("instance").asText()).isEqualTo("risk-a1");
    assertThat(report.path("passed").asBoolean()).isTrue();
    assertThat(report.toString()).contains("venue-session");
  }

  private static Order order(String id, long quantity, String price) {
    return new Order(id, "ACC-7", "600519.SH", Order.Side.BUY, quantity, new BigDecimal(price));
  }

  private static JsonNode json(String body) throws IOException {
    return new ObjectMapper().readTree(body);
  }
}
