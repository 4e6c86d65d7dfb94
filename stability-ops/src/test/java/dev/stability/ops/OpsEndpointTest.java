package dev.stability.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stability.api.event.LogField;
import dev.stability.api.event.LogRecord;
import dev.stability.api.health.HealthCheck;
import dev.stability.api.health.HealthKind;
import dev.stability.api.health.HealthResult;
import dev.stability.core.CapturingSink;
import dev.stability.core.ManualClock;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import dev.stability.core.capacity.CapacitySettings;
import dev.stability.core.guard.CircuitBreakerSettings;
import dev.stability.core.guard.GuardSettings;
import dev.stability.core.operations.OperationSettings;
import dev.stability.core.operations.Risk;
import dev.stability.core.operations.TradingCalendar;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every route over real HTTP on an ephemeral loopback port. */
class OpsEndpointTest {

  private static final String ZHANG_TOKEN = "zhang-0123456789abcdef0123456789abcdef";
  private static final String LI_TOKEN = "li-fedcba9876543210fedcba9876543210fe";
  private static final String WANG_TOKEN = "wang-00112233445566778899aabbccddeeff00";
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final ObjectMapper JSON = new ObjectMapper();

  // Monday 2026-11-30 18:00 in Shanghai: outside every session.
  private final ManualClock clock =
      ManualClock.at(
          LocalDateTime.parse("2026-11-30T18:00:00").atZone(SHANGHAI).toInstant(), SHANGHAI);
  private final CapturingSink sink = new CapturingSink();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicReference<HealthResult> gateway = new AtomicReference<>(HealthResult.up());
  @TempDir Path dir;
  private StabilityRuntime runtime;
  private OpsEndpoint endpoint;

  private void start(OpsEndpointSettings.Builder options) {
    runtime =
        TestRuntimes.quiet("a1")
            .clock(clock)
            .meterRegistry(registry)
            .eventSink(sink)
            .guard(
                GuardSettings.builder("exchange-link")
                    .circuitBreaker(CircuitBreakerSettings.builder().build())
                    .build())
            .guard(GuardSettings.builder("clearing-link").latencyPercentiles(true).build())
            .capacity(CapacitySettings.builder().indicators("orders").build())
            .healthCheck(HealthCheck.of("exchange-gw", HealthKind.READINESS, 1, gateway::get))
            .operations(
                OperationSettings.builder()
                    .calendar(TradingCalendar.chinaEquities().build())
                    .logFile(dir.resolve("operations.jsonl"))
                    .build())
            .build();
    endpoint =
        OpsEndpoint.start(
            runtime,
            options
                .token("zhang.san", ZHANG_TOKEN)
                .token("li.si", LI_TOKEN)
                .token("wang.wu", WANG_TOKEN)
                .action(
                    "switchover", Risk.HIGH, params -> Map.of("new_primary", params.get("target")))
                .build());
  }

  private void start() {
    start(OpsEndpointSettings.builder());
  }

  @AfterEach
  void stop() {
    if (endpoint != null) {
      endpoint.close();
    }
    if (runtime != null) {
      runtime.close();
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(endpoint.uri().resolve(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint.uri().resolve(path))
            .POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    return JSON.readTree(response.body());
  }

  @Test
  void listensOnLoopbackOnAnEphemeralPortByDefault() {
    start();
    assertThat(endpoint.address().getAddress().isLoopbackAddress()).isTrue();
    assertThat(endpoint.address().getPort()).isPositive();
    assertThat(endpoint.uri().toString()).startsWith("http://127.0.0.1:");
  }

  private static long opsThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("stability-ops-") && t.isAlive())
        .count();
  }

  @Test
  void aPortInUseFailsTheStartNamingTheAddressAndLeavesNothingRunning() throws Exception {
    start();
    int port = endpoint.address().getPort();
    long threadsBefore =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("stability-ops-"))
            .count();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> OpsEndpoint.start(runtime, OpsEndpointSettings.builder().port(port).build()))
        .isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessageStartingWith("ops endpoint cannot listen on 127.0.0.1:" + port + ": ");
    // The failed start's threads end (a thread pool's shutdownNow does not wait for them).
    long deadline = System.nanoTime() + 10_000_000_000L;
    long threadsAfter;
    while ((threadsAfter = opsThreads()) > threadsBefore && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(threadsAfter).isLessThanOrEqualTo(threadsBefore);
    assertThat(get("/health/liveness").statusCode())
        .as("the first endpoint still serves")
        .isEqualTo(200);
    post("/guards/exchange-link/force-open?reason=x", "wrong-000000000000000000000000000000000");
    assertThat(registry.get("stability.ops.auth.failures").counter().count())
        .as("the first endpoint's meters survived the failed start")
        .isEqualTo(1);
  }

  @Test
  void healthRoutesAnswerWithTheReportAnd503WhenDown() throws Exception {
    start();
    HttpResponse<String> untested = get("/health/trading-readiness");
    assertThat(untested.statusCode())
        .as("capacity never pressure tested: trading readiness did not pass")
        .isEqualTo(503);
    HttpResponse<String> liveness = get("/health/liveness");
    assertThat(liveness.statusCode()).isEqualTo(200);
    assertThat(json(liveness).get("scope").asText()).isEqualTo("liveness");

    HttpResponse<String> readiness = get("/health/readiness");
    assertThat(readiness.statusCode()).isEqualTo(200);
    assertThat(json(readiness).get("checks").findValuesAsText("name"))
        .contains("exchange-gw", "guards");

    gateway.set(HealthResult.down("gateway session lost"));
    clock.advance(Duration.ofSeconds(2)); // past the 1 s cache
    HttpResponse<String> down = get("/health/readiness");
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(json(down).get("status").asText()).isEqualTo("DOWN");

    clock.advance(Duration.ofSeconds(6)); // past the endpoint's 5 s reuse of the pre-open run
    HttpResponse<String> trading = get("/health/trading-readiness");
    assertThat(trading.statusCode()).isEqualTo(503);
    assertThat(json(trading).get("status").asText()).isEqualTo("DOWN");
    assertThat(json(trading).get("passed").asBoolean()).isFalse();
    assertThat(get("/health/everything").statusCode()).isEqualTo(404);
    assertThat(registry.find("stability.ops.requests").tag("path", "/health/everything").counter())
        .as("paths a client invents never become metric series")
        .isNull();
  }

  @Test
  void metricsAreServedInPrometheusTextFormat() throws Exception {
    start();
    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
    Pattern comment = Pattern.compile("# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*");
    Pattern sample =
        Pattern.compile(
            "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\",?)*\\})?"
                + " (-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)( -?[0-9]+)?");
    List<String> lines = metrics.body().lines().filter(l -> !l.isEmpty()).toList();
    assertThat(lines).isNotEmpty();
    for (String line : lines) {
      assertThat(comment.matcher(line).matches() || sample.matcher(line).matches())
          .as("Prometheus text line: %s", line)
          .isTrue();
    }
    assertThat(metrics.body())
        .contains("stability_events_total{")
        .contains("stability_health_status{")
        .contains("stability_capacity_headroom_ratio{");
  }

  @Test
  void metricsWithoutAPrometheusRegistryAreNotImplementedAndSaySo() throws Exception {
    runtime = TestRuntimes.quiet("a1").build();
    endpoint = OpsEndpoint.start(runtime, OpsEndpointSettings.builder().build());
    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(501);
    assertThat(json(metrics).get("message").asText()).contains("PrometheusMeterRegistry");
  }

  @Test
  void guardsCapacityAndOperationsAreReadable() throws Exception {
    start();
    JsonNode guards = json(get("/guards"));
    assertThat(guards.get("guards").get(0).get("name").asText()).isEqualTo("exchange-link");
    assertThat(guards.get("guards").get(0).get("circuit_state").asText()).isEqualTo("CLOSED");
    assertThat(guards.get("guards").get(0).get("latency_ms").isNull())
        .as("a guard without latency-percentiles")
        .isTrue();
    JsonNode clearing = guards.get("guards").get(1);
    assertThat(clearing.get("name").asText()).isEqualTo("clearing-link");
    assertThat(clearing.get("latency_ms").get("0.99").isNull()).as("no call yet").isTrue();
    runtime
        .guards()
        .guard("clearing-link")
        .call(
            () -> {
              clock.advance(java.time.Duration.ofMillis(12));
              return "ok";
            });
    JsonNode latency = json(get("/guards")).get("guards").get(1).get("latency_ms");
    assertThat(latency.properties())
        .extracting(Map.Entry::getKey)
        .containsExactly("0.5", "0.9", "0.99", "0.999");
    assertThat(latency.get("0.99").asDouble()).isBetween(12.0, 12.0 * 17 / 16);
    // Another runtime on the same registry with a guard of the same name: not mixed in.
    try (StabilityRuntime other =
        TestRuntimes.quiet("a2")
            .clock(clock)
            .meterRegistry(registry)
            .guard(GuardSettings.builder("clearing-link").latencyPercentiles(true).build())
            .build()) {
      other
          .guards()
          .guard("clearing-link")
          .call(
              () -> {
                clock.advance(java.time.Duration.ofMillis(500));
                return "ok";
              });
      JsonNode mine = json(get("/guards")).get("guards").get(1).get("latency_ms");
      assertThat(mine.get("0.999").asDouble()).isBetween(12.0, 12.0 * 17 / 16);
    }

    runtime.capacity().indicator("orders").recordTested(9000, "pt");
    JsonNode capacity = json(get("/capacity"));
    assertThat(capacity.get("required_headroom").asDouble()).isEqualTo(3.0);
    assertThat(capacity.get("indicators").get(0).get("tested").asDouble()).isEqualTo(9000.0);
    assertThat(capacity.get("indicators").get(0).get("basis").asText()).isEqualTo("tested");
    assertThat(capacity.get("indicators").get(0).get("required").asDouble()).isEqualTo(3.0);
    assertThat(capacity.get("peak_window").asText()).isEqualTo("P12M");

    post("/guards/exchange-link/force-open?reason=maintenance", ZHANG_TOKEN);
    JsonNode operations = json(get("/operations?limit=5"));
    assertThat(operations.get("records").get(0).get("code").asText())
        .isEqualTo("OPERATION_STARTED");
    assertThat(operations.get("records").get(1).get("code").asText())
        .isEqualTo("OPERATION_EXECUTED");
    JsonNode verify = json(get("/operations/verify"));
    assertThat(verify.get("intact").asBoolean()).isTrue();
    assertThat(verify.get("records").asLong()).isEqualTo(2);

    assertThat(get("/operations?limit=0").statusCode()).isEqualTo(400);
    assertThat(json(get("/operations?limit=x")).get("message").asText())
        .isEqualTo("limit must be a number 1..1000, got 'x'");
  }

  @Test
  void unknownRoutesAre404AndWrongMethods405WithAllow() throws Exception {
    start();
    assertThat(get("/nothing").statusCode()).isEqualTo(404);
    HttpResponse<String> wrong = post("/guards", ZHANG_TOKEN);
    assertThat(wrong.statusCode()).isEqualTo(405);
    assertThat(wrong.headers().firstValue("Allow")).hasValue("GET, HEAD");
    HttpResponse<String> getChange = get("/guards/exchange-link/force-open");
    assertThat(getChange.statusCode()).isEqualTo(405);
    assertThat(getChange.headers().firstValue("Allow")).hasValue("POST");
    assertThat(post("/guards/no-such-guard/force-open?reason=x", ZHANG_TOKEN).statusCode())
        .isEqualTo(404);
    assertThat(post("/operations/no-such-action?reason=x", ZHANG_TOKEN).statusCode())
        .isEqualTo(404);
  }

  @Test
  void changesNeedABearerTokenAndFailuresNeverLogTheToken() throws Exception {
    start();
    HttpResponse<String> missing = post("/guards/exchange-link/force-open?reason=x", null);
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer realm=\"stability-ops\"");
    String guess = "guess-0000000000000000000000000000000000";
    HttpResponse<String> wrong = post("/guards/exchange-link/force-open?reason=x", guess);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(json(wrong).get("message").asText())
        .isEqualTo("the bearer token is not valid for /guards/{name}/force-open");
    assertThat(runtime.guards().guard("exchange-link").circuitState().name()).isEqualTo("CLOSED");

    assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();
    // Failures are all counted; their events are held to one a second, with a count.
    assertThat(sink.withCode("OPS_ENDPOINT_AUTH_FAILED")).isNotEmpty();
    assertThat(String.join("\n", sink.lines()))
        .doesNotContain(guess)
        .doesNotContain(ZHANG_TOKEN)
        .doesNotContain(LI_TOKEN);
    assertThat(registry.get("stability.ops.auth.failures").counter().count()).isEqualTo(2);
    assertThat(OpsEndpointSettings.builder().token("x", ZHANG_TOKEN).build().toString())
        .doesNotContain(ZHANG_TOKEN);
  }

  @Test
  void repeatedBadTokensLockTheClientOutEvenForAGoodTokenUntilTheLockOutEnds() throws Exception {
    start(OpsEndpointSettings.builder().maxFailedAttempts(3).lockout(Duration.ofMinutes(5)));
    String path = "/guards/exchange-link/force-open?reason=maintenance";
    for (int i = 0; i < 3; i++) {
      assertThat(post(path, "bad-" + i + "-000000000000000000000000000000000").statusCode())
          .isEqualTo(401);
    }
    HttpResponse<String> locked = post(path, ZHANG_TOKEN);
    assertThat(locked.statusCode()).isEqualTo(429);
    assertThat(locked.headers().firstValue("Retry-After")).hasValue("300");
    assertThat(runtime.guards().guard("exchange-link").circuitState().name()).isEqualTo("CLOSED");
    assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();
    assertThat(sink.withCode("OPS_ENDPOINT_LOCKED")).hasSize(1);

    clock.advance(Duration.ofMinutes(5));
    assertThat(post(path, ZHANG_TOKEN).statusCode()).isEqualTo(200);
    assertThat(runtime.guards().guard("exchange-link").circuitState().name())
        .isEqualTo("FORCED_OPEN");
  }

  @Test
  void forceOpenAndResetAreRecordedUnderTheTokensOperatorWithTheirReason() throws Exception {
    start();
    HttpResponse<String> noReason = post("/guards/exchange-link/force-open", ZHANG_TOKEN);
    assertThat(noReason.statusCode()).isEqualTo(400);
    assertThat(json(noReason).get("message").asText())
        .isEqualTo("parameter 'reason' is required: every operation says why (R5)");

    HttpResponse<String> open =
        post("/guards/exchange-link/force-open?reason=exchange%20maintenance", ZHANG_TOKEN);
    assertThat(open.statusCode()).isEqualTo(200);
    assertThat(json(open).get("result").get("circuit_state").asText()).isEqualTo("FORCED_OPEN");
    assertThat(post("/guards/exchange-link/reset?reason=maintenance%20over", LI_TOKEN).statusCode())
        .isEqualTo(200);

    List<LogRecord> log = runtime.operations().log().tail(4);
    assertThat(log)
        .extracting(LogRecord::code)
        .containsExactly(
            "OPERATION_STARTED", "OPERATION_EXECUTED", "OPERATION_STARTED", "OPERATION_EXECUTED");
    assertThat(log.get(1).get(LogField.OPERATOR)).isEqualTo("zhang.san");
    assertThat(log.get(1).attrs())
        .containsEntry("action", "guard.force-open")
        .containsEntry("target", "exchange-link")
        .containsEntry("reason", "exchange maintenance");
    assertThat(log.get(3).get(LogField.OPERATOR)).isEqualTo("li.si");
    assertThat(runtime.guards().guard("exchange-link").circuitState().name()).isEqualTo("CLOSED");
  }

  @Test
  void highRiskActionsGoThroughRequestApprovalByAnotherOperatorAndPerform() throws Exception {
    start();
    HttpResponse<String> requested =
        post("/operations/switchover?target=oms-b1&reason=planned%20DC%20move", ZHANG_TOKEN);
    assertThat(requested.statusCode()).isEqualTo(202);
    String id = json(requested).get("id").asText();

    HttpResponse<String> self = post("/operations/requests/" + id + "/approve", ZHANG_TOKEN);
    assertThat(self.statusCode()).isEqualTo(403);
    assertThat(json(self).get("refusal").asText()).isEqualTo("self_approval");

    assertThat(post("/operations/requests/" + id + "/perform", ZHANG_TOKEN).statusCode())
        .as("not approved yet")
        .isEqualTo(404);
    assertThat(post("/operations/requests/" + id + "/approve", LI_TOKEN).statusCode())
        .isEqualTo(200);
    HttpResponse<String> done = post("/operations/requests/" + id + "/perform", LI_TOKEN);
    assertThat(done.statusCode()).isEqualTo(200);
    assertThat(json(done).get("result").get("new_primary").asText()).isEqualTo("oms-b1");
    assertThat(json(done).get("approved_by").asText()).isEqualTo("li.si");

    LogRecord executed = runtime.operations().log().tail(1).get(0);
    assertThat(executed.code()).isEqualTo("OPERATION_EXECUTED");
    assertThat(executed.get(LogField.OPERATOR)).isEqualTo("zhang.san");
    assertThat(executed.get(LogField.REVIEWER)).isEqualTo("li.si");
    assertThat(post("/operations/requests/" + id + "/perform", LI_TOKEN).statusCode())
        .as("an approval is used once")
        .isEqualTo(404);
  }

  @Test
  void riskyChangesInATradingSessionAreRefusedWith403() throws Exception {
    clock.advance(Duration.ofHours(15).plusMinutes(30)); // Tuesday 09:30
    start();
    HttpResponse<String> refused =
        post("/guards/exchange-link/force-open?reason=maintenance", ZHANG_TOKEN);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(json(refused).get("refusal").asText()).isEqualTo("change_window");
    assertThat(json(refused).get("message").asText())
        .startsWith("guard.force-open refused: trading session continuous-morning is open");
    assertThat(
            registry
                .get("stability.ops.requests")
                .tag("path", "/guards/{name}/force-open")
                .tag("status", "403")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void readsNeedATokenWhenTheEndpointIsNotOnLoopback() throws Exception {
    start(
        OpsEndpointSettings.builder()
            .address(java.net.InetAddress.getByName("0.0.0.0"))
            .plainHttpBeyondLoopback(true));
    URI uri = URI.create("http://127.0.0.1:" + endpoint.address().getPort() + "/guards");
    HttpResponse<String> anonymous =
        http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    HttpResponse<String> withToken =
        http.send(
            HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + LI_TOKEN).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(withToken.statusCode()).isEqualTo(200);
  }

  @Test
  void shortTokensAreRefusedWithoutPrintingThem() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> OpsEndpointSettings.builder().token("zhang.san", "secret123").build())
        .hasMessage(
            "ops.tokens.zhang.san = '<hidden>': a token must have at least 32 characters (generate"
                + " it, do not choose it)");
  }

  @Test
  void onlyTheRequesterOrTheReviewerMayPerformAndApprovalsNeedATokenToo() throws Exception {
    start();
    String id =
        json(post("/operations/switchover?target=oms-b1&reason=drill", ZHANG_TOKEN))
            .get("id")
            .asText();
    assertThat(post("/operations/requests/" + id + "/approve", null).statusCode()).isEqualTo(401);
    assertThat(post("/operations/requests/" + id + "/approve", LI_TOKEN).statusCode())
        .isEqualTo(200);
    HttpResponse<String> third = post("/operations/requests/" + id + "/perform", WANG_TOKEN);
    assertThat(third.statusCode()).isEqualTo(403);
    assertThat(json(third).get("message").asText())
        .isEqualTo("wang.wu may not perform " + id + ": only zhang.san or li.si may");
    assertThat(post("/operations/requests/" + id + "/perform", ZHANG_TOKEN).statusCode())
        .isEqualTo(200);
    assertThat(post("/operations/requests/no-such-id/approve", LI_TOKEN).statusCode())
        .isEqualTo(404);
  }

  @Test
  void headAnswersWithoutABodyAndAnOversizedFormIsRefusedWith413() throws Exception {
    start();
    HttpResponse<String> head =
        http.send(
            HttpRequest.newBuilder(endpoint.uri().resolve("/guards"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();

    String form = "reason=" + "x".repeat(70 * 1024);
    HttpResponse<String> big =
        http.send(
            HttpRequest.newBuilder(endpoint.uri().resolve("/guards/exchange-link/force-open"))
                .header("Authorization", "Bearer " + ZHANG_TOKEN)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(json(big).get("message").asText())
        .isEqualTo("the request body has " + form.length() + " bytes; at most 16384 are accepted");
    assertThat(runtime.operations().log().tail(1)).isEmpty();
    assertThat(runtime.guards().guard("exchange-link").circuitState().name()).isEqualTo("CLOSED");
  }

  @Test
  void aReasonInAFormBodyIsAcceptedLikeAQueryParameter() throws Exception {
    start();
    HttpResponse<String> open =
        http.send(
            HttpRequest.newBuilder(endpoint.uri().resolve("/guards/exchange-link/force-open"))
                .header("Authorization", "Bearer " + ZHANG_TOKEN)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("reason=exchange+maintenance+window"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(open.statusCode()).isEqualTo(200);
    assertThat(runtime.operations().log().tail(1).get(0).attrs())
        .containsEntry("reason", "exchange maintenance window");
  }
}
