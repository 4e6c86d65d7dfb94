package dev.stability.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stability.api.ConfigurationException;
import dev.stability.api.event.Level;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.health.HealthCheck;
import dev.stability.api.health.HealthKind;
import dev.stability.api.health.HealthResult;
import dev.stability.api.health.HealthStatus;
import dev.stability.core.CapturingSink;
import dev.stability.core.ManualClock;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthRegistryTest {

  private final ManualClock clock =
      ManualClock.at(Instant.parse("2026-11-30T00:30:00Z"), ZoneId.of("Asia/Shanghai"));
  private final CapturingSink sink = new CapturingSink();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final CountDownLatch release = new CountDownLatch(1);
  private StabilityRuntime runtime;

  private Health health(HealthSettings.Builder settings, HealthCheck... checks) {
    StabilityRuntime.Builder builder =
        TestRuntimes.quiet("a1")
            .clock(clock)
            .meterRegistry(registry)
            .eventSink(sink)
            .health(settings.builtInChecks(false).build());
    for (HealthCheck check : checks) {
      builder.healthCheck(check);
    }
    runtime = builder.build();
    return runtime.health();
  }

  @AfterEach
  void close() {
    release.countDown();
    if (runtime != null) {
      runtime.close();
    }
  }

  private List<LogRecord> events(StabilityEventCode code) throws InterruptedException {
    assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();
    return sink.withCode(code.code());
  }

  private static HealthCheck fixed(String name, HealthKind kind, int grade, HealthResult result) {
    return HealthCheck.of(name, kind, grade, () -> result);
  }

  @Test
  void hangingCheckIsReportedDownAfterItsTimeoutWithoutHoldingUpOtherChecks() throws Exception {
    AtomicInteger hangingRuns = new AtomicInteger();
    HealthCheck hanging =
        HealthCheck.of(
            "clearing-link",
            HealthKind.READINESS,
            1,
            () -> {
              hangingRuns.incrementAndGet();
              release.await();
              return HealthResult.up();
            });
    // 1 s: the quick check must answer within it on a slow machine too.
    Health health =
        health(
            HealthSettings.builder().timeout(Duration.ofSeconds(1)).cacheFor(Duration.ZERO),
            hanging,
            fixed("reference-data", HealthKind.READINESS, 1, HealthResult.up("loaded")));

    HealthReport first =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10), () -> health.report(HealthKind.READINESS));

    assertThat(first.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(first.checks())
        .extracting(CheckResult::name, CheckResult::status, CheckResult::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "clearing-link", HealthStatus.DOWN, "timed out after 1000 ms"),
            org.assertj.core.groups.Tuple.tuple("reference-data", HealthStatus.UP, "loaded"));

    // Asked again while the check still hangs: answered at once from the hung run, which is not
    // started a second time (a hanging check never piles up threads).
    HealthReport second =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10), () -> health.report(HealthKind.READINESS));
    assertThat(second.checks().get(0).reason()).isEqualTo("timed out after 1000 ms");
    assertThat(hangingRuns).hasValue(1);
    assertThat(events(StabilityEventCode.HEALTH_CHECK_TIMED_OUT))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.attrs()).containsEntry("check", "clearing-link");
              assertThat(e.attrs()).containsEntry("timeout_ms", "1000");
            });

    release.countDown();
    // Once it answers again (late) it stays DOWN for that run, then a fresh run is UP.
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(health.lastResults().get(0).reason())
                    .startsWith("timed out after 1000 ms (answered UP after"));
    assertThat(health.check("clearing-link").status()).isEqualTo(HealthStatus.UP);
    assertThat(hangingRuns).hasValue(2);
  }

  @Test
  void checkThatAnswersAfterItsTimeoutIsDownAndSaysHowLateItWas() {
    Health health =
        health(
            HealthSettings.builder().timeout(Duration.ofMillis(50)).cacheFor(Duration.ZERO),
            HealthCheck.of(
                "slow",
                HealthKind.READINESS,
                1,
                () -> {
                  Thread.sleep(120);
                  return HealthResult.up();
                }));
    health.check("slow");
    // The late answer replaces the timeout result but keeps it DOWN, naming the late status.
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(health.lastResults().get(0).reason())
                    .matches("timed out after 50 ms \\(answered UP after \\d+ ms\\)"));
    assertThat(health.lastResults().get(0).status()).isEqualTo(HealthStatus.DOWN);
  }

  @Test
  void checkThatThrowsIsDownWithTheExceptionTypeAndMessageAndOneEvent() throws Exception {
    Health health =
        health(
            HealthSettings.builder().cacheFor(Duration.ZERO),
            HealthCheck.of(
                "risk-db",
                HealthKind.READINESS,
                1,
                () -> {
                  throw new java.net.ConnectException("connection refused");
                }));

    CheckResult result = health.check("risk-db");
    health.check("risk-db");
    health.check("risk-db");

    assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(result.reason())
        .isEqualTo("check threw java.net.ConnectException: connection refused");
    // The same failure repeated is one event, not one per run.
    assertThat(events(StabilityEventCode.HEALTH_CHECK_FAILED))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.attrs()).containsEntry("check", "risk-db");
              assertThat(e.text(dev.stability.api.event.LogField.ERROR_TYPE))
                  .isEqualTo("java.net.ConnectException");
            });
  }

  @Test
  void theAggregateChangeNamesTheCheckThatMakesItSoNotTheOneThatJustRan() throws Exception {
    Health health =
        health(
            HealthSettings.builder().cacheFor(Duration.ZERO),
            fixed("venue-session", HealthKind.READINESS, 2, HealthResult.down("venue closed")),
            fixed("guards", HealthKind.READINESS, 1, HealthResult.up()));
    health.check("guards"); // UP while the venue's check has not run: its UNKNOWN is the worst
    health.check("venue-session");

    assertThat(
            events(StabilityEventCode.HEALTH_STATUS_CHANGED).stream()
                .map(LogRecord::message)
                .filter(m -> m.contains("worst check"))
                .toList())
        .isNotEmpty()
        .allSatisfy(m -> assertThat(m).contains("worst check: venue-session"));
  }

  @Test
  void checkReturningNullIsDown() {
    Health health =
        health(
            HealthSettings.builder(), HealthCheck.of("lazy", HealthKind.READINESS, 1, () -> null));
    assertThat(health.check("lazy").reason())
        .isEqualTo("check returned null instead of a HealthResult");
  }

  @Test
  void gradeOneDownTakesTheKindDownWhileLowerGradesOnlyDegradeIt() {
    Health health =
        health(
            HealthSettings.builder(),
            fixed("matching", HealthKind.READINESS, 1, HealthResult.up()),
            fixed("reporting-feed", HealthKind.READINESS, 3, HealthResult.down("feed lost")));
    HealthReport report = health.report(HealthKind.READINESS);
    assertThat(report.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(report.checks().get(1).effectiveStatus()).isEqualTo(HealthStatus.DEGRADED);

    runtime.close();
    Health critical =
        health(
            HealthSettings.builder(),
            fixed("matching", HealthKind.READINESS, 1, HealthResult.down("engine stopped")),
            fixed("reporting-feed", HealthKind.READINESS, 3, HealthResult.up()));
    assertThat(critical.report(HealthKind.READINESS).status()).isEqualTo(HealthStatus.DOWN);
  }

  @Test
  void unknownCountsAsDegradedAndKindsAggregateSeparately() {
    Health health =
        health(
            HealthSettings.builder(),
            fixed("ntp", HealthKind.READINESS, 1, HealthResult.unknown("no answer yet")),
            fixed("heartbeat", HealthKind.LIVENESS, 1, HealthResult.up()));
    assertThat(health.report(HealthKind.READINESS).status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(health.report(HealthKind.LIVENESS).status()).isEqualTo(HealthStatus.UP);
    assertThat(health.report(HealthKind.TRADING_READINESS).status()).isEqualTo(HealthStatus.UP);
    assertThat(health.report(HealthKind.TRADING_READINESS).checks()).isEmpty();
  }

  @Test
  void everyStatusChangeOfACheckAndOfItsKindIsAnEventWithOldNewAndReason() throws Exception {
    AtomicReference<HealthResult> answer = new AtomicReference<>(HealthResult.up());
    Health health =
        health(
            HealthSettings.builder().cacheFor(Duration.ZERO),
            HealthCheck.of("exchange-gw", HealthKind.READINESS, 1, answer::get));

    health.check("exchange-gw");
    health.check("exchange-gw"); // unchanged: no event
    answer.set(HealthResult.down("gateway session lost"));
    health.check("exchange-gw");
    answer.set(HealthResult.up("session restored"));
    health.check("exchange-gw");

    List<LogRecord> changes = events(StabilityEventCode.HEALTH_STATUS_CHANGED);
    assertThat(changes)
        .extracting(
            e -> e.attrs().get("check"),
            e -> e.attrs().get("from"),
            e -> e.attrs().get("to"),
            e -> e.attrs().get("reason"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("exchange-gw", "UNKNOWN", "UP", ""),
            org.assertj.core.groups.Tuple.tuple(
                "all", "UNKNOWN", "UP", "every readiness check is up"),
            org.assertj.core.groups.Tuple.tuple(
                "exchange-gw", "UP", "DOWN", "gateway session lost"),
            org.assertj.core.groups.Tuple.tuple(
                "all", "UP", "DOWN", "worst check: exchange-gw DOWN (gateway session lost)"),
            org.assertj.core.groups.Tuple.tuple("exchange-gw", "DOWN", "UP", "session restored"),
            org.assertj.core.groups.Tuple.tuple(
                "all", "DOWN", "UP", "every readiness check is up"));
    assertThat(changes.get(2).message())
        .isEqualTo("health check exchange-gw UP -> DOWN: gateway session lost");
    // A recovery (to UP) is a normal fact, logged at INFO; any other change is for operations.
    assertThat(changes)
        .extracting(LogRecord::level)
        .containsExactly(Level.INFO, Level.INFO, Level.WARN, Level.WARN, Level.INFO, Level.INFO);
  }

  @Test
  void answersAreCachedForTheConfiguredIntervalOnTheRuntimeClock() {
    AtomicInteger runs = new AtomicInteger();
    Health health =
        health(
            HealthSettings.builder().cacheFor(Duration.ofSeconds(5)),
            HealthCheck.of(
                "db",
                HealthKind.READINESS,
                1,
                () -> {
                  runs.incrementAndGet();
                  return HealthResult.up();
                }));
    health.check("db");
    health.report(HealthKind.READINESS);
    clock.advance(Duration.ofMillis(4_999));
    health.check("db");
    assertThat(runs).hasValue(1);
    clock.advance(Duration.ofMillis(1));
    health.check("db");
    assertThat(runs).hasValue(2);
    // The trading-readiness run ignores the cache: operators want a fresh answer pre-open.
    health.tradingReadiness();
    assertThat(runs).hasValue(3);
  }

  @Test
  void statusGaugesFollowChecksAndAggregates() {
    AtomicReference<HealthResult> answer = new AtomicReference<>(HealthResult.up());
    Health health =
        health(
            HealthSettings.builder().cacheFor(Duration.ZERO),
            HealthCheck.of("db", HealthKind.READINESS, 2, answer::get));
    assertThat(gauge("db", "readiness")).isEqualTo(-1.0); // not run yet: UNKNOWN
    health.check("db");
    assertThat(gauge("db", "readiness")).isEqualTo(1.0);
    answer.set(HealthResult.down("gone"));
    health.check("db");
    assertThat(gauge("db", "readiness")).isEqualTo(0.0);
    assertThat(gauge("all", "readiness")).isEqualTo(0.5); // grade 2 DOWN degrades the service
    assertThat(gauge("all", "liveness")).isEqualTo(1.0);
    assertThat(registry.get("stability.health.check.duration").tag("check", "db").timer().count())
        .isEqualTo(2);
  }

  private double gauge(String check, String kind) {
    return registry
        .get("stability.health.status")
        .tag("check", check)
        .tag("kind", kind)
        .tag("system", "OMS")
        .gauge()
        .value();
  }

  @Test
  void tradingReadinessRunsReadinessAndPreOpenChecksAndReportsEachAsJsonAndText() throws Exception {
    Health health =
        health(
            HealthSettings.builder(),
            fixed("heartbeat", HealthKind.LIVENESS, 1, HealthResult.up()),
            fixed("exchange-gw", HealthKind.READINESS, 1, HealthResult.up("session open")),
            fixed(
                "reference-data",
                HealthKind.TRADING_READINESS,
                1,
                HealthResult.down("instrument file for 2026-12-01 missing")
                    .withDetail("expected", "/data/ref/20261201.csv")));

    HealthReport report = health.tradingReadiness();

    assertThat(report.scope()).isEqualTo("trading_readiness");
    assertThat(report.passed()).isFalse();
    assertThat(report.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(report.checks())
        .extracting(CheckResult::name)
        .containsExactly("exchange-gw", "reference-data");
    JsonNode json = new ObjectMapper().readTree(report.toJson());
    assertThat(json.get("system").asText()).isEqualTo("OMS");
    assertThat(json.get("passed").asBoolean()).isFalse();
    assertThat(json.get("started_at").asText()).isEqualTo("2026-11-30T08:30:00.000000+08:00");
    JsonNode refData = json.get("checks").get(1);
    assertThat(refData.get("name").asText()).isEqualTo("reference-data");
    assertThat(refData.get("kind").asText()).isEqualTo("trading_readiness");
    assertThat(refData.get("status").asText()).isEqualTo("DOWN");
    assertThat(refData.get("reason").asText()).isEqualTo("instrument file for 2026-12-01 missing");
    assertThat(refData.get("details").get("expected").asText()).isEqualTo("/data/ref/20261201.csv");
    assertThat(refData.has("duration_ms")).isTrue();

    String text = report.toText();
    assertThat(text.lines().findFirst().orElseThrow())
        .startsWith(
            "trading readiness of OMS/a1 at 2026-11-30T08:30:00+08:00: NOT PASSED, status DOWN");
    assertThat(text)
        .containsPattern(
            "DOWN +1 +reference-data +[0-9.]+ ms  instrument file for 2026-12-01 missing");

    assertThat(events(StabilityEventCode.TRADING_READINESS_FAILED))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.attrs()).containsEntry("failed", "1");
              assertThat(e.message())
                  .isEqualTo(
                      "trading readiness failed: reference-data DOWN (instrument file for"
                          + " 2026-12-01 missing)");
            });
  }

  @Test
  void tradingReadinessPassesOnlyWhenEveryCheckIsUp() throws Exception {
    Health health =
        health(
            HealthSettings.builder(),
            fixed("exchange-gw", HealthKind.READINESS, 1, HealthResult.up()),
            fixed("archive", HealthKind.READINESS, 4, HealthResult.degraded("slow disk")));
    assertThat(health.tradingReadiness().passed()).isFalse();
    runtime.close();

    health =
        health(
            HealthSettings.builder(),
            fixed("exchange-gw", HealthKind.READINESS, 1, HealthResult.up()));
    HealthReport report = health.tradingReadiness();
    assertThat(report.passed()).isTrue();
    assertThat(report.toText()).contains(": PASSED, status UP (1 check,");
    assertThat(events(StabilityEventCode.TRADING_READINESS_PASSED)).hasSize(1);
  }

  @Test
  void runtimePollsChecksOnItsOwnSoChangesAreSeenWithoutAnyoneAsking() throws Exception {
    AtomicReference<HealthResult> answer = new AtomicReference<>(HealthResult.up());
    runtime =
        TestRuntimes.quiet("a1")
            .eventSink(sink)
            .health(
                HealthSettings.builder()
                    .builtInChecks(false)
                    .pollEvery(Duration.ofMillis(20))
                    .cacheFor(Duration.ZERO)
                    .build())
            .healthCheck(HealthCheck.of("feed", HealthKind.READINESS, 1, answer::get))
            .build();
    answer.set(HealthResult.down("feed silent for 3 s"));
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                sink.withCode("HEALTH_STATUS_CHANGED").stream()
                    .anyMatch(e -> "DOWN".equals(e.attrs().get("to"))));
  }

  @Test
  void unknownCheckNameIsAnErrorNamingTheKnownOnes() {
    Health health =
        health(HealthSettings.builder(), fixed("db", HealthKind.READINESS, 1, HealthResult.up()));
    assertThatThrownBy(() -> health.check("dbb"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no health check named 'dbb'; known: [db]");
  }

  @Test
  void badRegistrationsAreRefusedWithKeyValueAndRule() {
    Health health =
        health(HealthSettings.builder(), fixed("db", HealthKind.READINESS, 1, HealthResult.up()));
    assertThatThrownBy(
            () -> health.register(fixed("db", HealthKind.LIVENESS, 1, HealthResult.up())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("health.checks = 'db': must be registered only once");
    assertThatThrownBy(
            () -> health.register(fixed("all", HealthKind.LIVENESS, 1, HealthResult.up())))
        .hasMessage("health.checks = 'all': is reserved for the aggregate of each kind");
    assertThatThrownBy(
            () ->
                health.register(
                    fixed("disk", HealthKind.READINESS, 1, HealthResult.up()), Duration.ZERO))
        .hasMessage("health.checks.disk.timeout = PT0S: must be between 1 ms and 60 s");
    HealthCheck badGrade =
        new HealthCheck() {
          @Override
          public String name() {
            return "custom";
          }

          @Override
          public int grade() {
            return 5;
          }

          @Override
          public HealthResult check() {
            return HealthResult.up();
          }
        };
    assertThatThrownBy(() -> health.register(badGrade))
        .hasMessage("health.checks.custom.grade = 5: must be between 1 and 4");
    assertThatThrownBy(() -> HealthCheck.of("Bad Name", HealthKind.READINESS, 1, HealthResult::up))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "health check name 'Bad Name' must be lower case letters, digits, '.', '_' or '-',"
                + " 1-64 characters");
    assertThatThrownBy(() -> HealthSettings.builder().timeout(Duration.ofMinutes(2)).build())
        .hasMessage("health.timeout = PT2M: must be between 1 ms and 60 s");
    assertThatThrownBy(() -> HealthSettings.builder().pollEvery(Duration.ofMillis(-1)).build())
        .hasMessage("health.poll-every = PT-0.001S: must not be negative");
    assertThatThrownBy(
            () -> new HealthResult(HealthStatus.UP, "", java.util.Map.of("x", List.of())))
        .hasMessage(
            "health detail 'x' must be a string, number or boolean, got java.util.ImmutableCollections$ListN");
  }

  @Test
  void checksAfterCloseAreDownInsteadOfHanging() {
    Health health =
        health(
            HealthSettings.builder().cacheFor(Duration.ZERO),
            fixed("db", HealthKind.READINESS, 1, HealthResult.up()));
    runtime.close();
    assertThat(health.check("db").reason())
        .isEqualTo("health checks stopped: the runtime is closed");
  }
}
