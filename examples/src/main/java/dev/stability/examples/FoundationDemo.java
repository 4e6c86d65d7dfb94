package dev.stability.examples;

import dev.stability.api.ServiceIdentity;
import dev.stability.api.Site;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.Outcome;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.guard.GuardRejectedException;
import dev.stability.api.health.HealthCheck;
import dev.stability.api.health.HealthKind;
import dev.stability.api.health.HealthResult;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.capacity.CapacityIndicator;
import dev.stability.core.capacity.CapacitySettings;
import dev.stability.core.guard.BulkheadSettings;
import dev.stability.core.guard.CircuitBreakerSettings;
import dev.stability.core.guard.Guard;
import dev.stability.core.guard.GuardSettings;
import dev.stability.core.health.HealthReport;
import dev.stability.core.health.HealthSettings;
import dev.stability.core.operations.ChangeWindow;
import dev.stability.core.operations.OperationSettings;
import dev.stability.core.operations.Risk;
import dev.stability.core.operations.TradingCalendar;
import dev.stability.ops.OpsEndpoint;
import dev.stability.ops.OpsEndpointSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The foundation demo: builds a runtime for an order-entry instance, writes business, interface,
 * operation and SDK records through it, and shows that they come out as schema'd JSON lines
 * (through Logback and the SDK encoder) and as counted metrics, with a guard opening on a failing
 * exchange link and the pre-open trading-readiness report. The full trading-system demo (standby,
 * switchover, drills) is {@code TradingDemo}; docs/tour.md walks through it.
 */
public final class FoundationDemo {

  private static final Logger APP_LOG = LoggerFactory.getLogger(FoundationDemo.class);

  private FoundationDemo() {}

  /** Runs the demo; exits non-zero if a record published was not written. */
  public static void main(String[] args) throws Exception {
    int status = run(System.out);
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * Runs the scenario and narrates to {@code out}.
   *
   * @return 0 on success
   */
  public static int run(PrintStream out) throws Exception {
    ServiceIdentity identity =
        ServiceIdentity.builder()
            .systemCode("OMS")
            .subsystem("order-entry")
            .instanceId("oms-a1")
            .site(Site.PRIMARY_DC)
            .grade(1)
            .build();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Path operationLog = Files.createTempDirectory("stability-demo").resolve("operations.jsonl");
    List<String> lines = new ArrayList<>();
    out.println("== 1. Build a runtime for " + identity.systemCode() + "/" + identity.instanceId());
    SimulatedExchange exchange = new SimulatedExchange();
    try (StabilityRuntime runtime =
        StabilityRuntime.builder(identity)
            .guard(
                GuardSettings.builder("exchange-link")
                    .deadline(Duration.ofMillis(50))
                    .circuitBreaker(
                        CircuitBreakerSettings.builder()
                            .slidingWindowSize(4)
                            .minimumNumberOfCalls(4)
                            .failureRateThreshold(50)
                            .build())
                    .bulkhead(BulkheadSettings.of(16))
                    .build())
            .meterRegistry(registry)
            .clock(Clock.system(ZoneId.of("Asia/Shanghai")))
            .eventCodes(DemoCodes.class)
            .eventSink((record, line) -> record(lines, line))
            .capacity(CapacitySettings.builder().indicators("orders").build())
            .health(HealthSettings.builder().pollEvery(Duration.ZERO).build())
            .operations(OperationSettings.builder().logFile(operationLog).build())
            .healthCheck(
                HealthCheck.of(
                    "exchange-gw",
                    HealthKind.READINESS,
                    1,
                    () ->
                        exchange.down
                            ? HealthResult.down("exchange link down")
                            : HealthResult.up("session open")))
            .build()) {
      CapacityIndicator orders = runtime.capacity().indicator("orders");

      out.println("== 2. Business records: account and phone numbers are masked (R16)");
      runtime
          .events()
          .publish(
              LogRecord.builder(DemoCodes.ORDER_ACCEPTED)
                  .order("O-20261124-0001")
                  .account("6222021234567890")
                  .member("M00123")
                  .message("buy IF2612 2 lots at 3999.8"));
      orders.record();
      runtime
          .events()
          .publish(
              LogRecord.builder(DemoCodes.ORDER_REJECTED)
                  .order("O-20261124-0002")
                  .message("price outside limit; client phone 13800138000"));

      settle(runtime);
      out.println(
          "== 3. An interface record carries serial, interface, peer, duration, result (R17)");
      runtime
          .events()
          .publish(
              LogRecord.builder(StabilityEventCode.APP_INTERFACE_CALL)
                  .seq("S-20261124-000001")
                  .interfaceId("risk.check")
                  .peer("RISK")
                  .durationMicros(87)
                  .outcome(Outcome.SUCCESS)
                  .message("risk check passed"));

      settle(runtime);
      out.println("== 4. An operation record names operator and reviewer (R5)");
      runtime
          .events()
          .publish(
              LogRecord.builder(StabilityEventCode.APP_OPERATION)
                  .operator("zhang.san")
                  .reviewer("li.si")
                  .message("raised price-limit band for IF2612 to 10%"));

      settle(runtime);
      out.println(
          "== 5. A guard around the exchange link: the link fails, the breaker opens (R14)");
      Guard link = runtime.guards().guard("exchange-link");
      Callable<String> send = link.decorate(() -> exchange.send("O-20261124-0003"));
      for (int i = 0; i < 6; i++) {
        try {
          out.println("   send -> " + send.call());
        } catch (GuardRejectedException refused) {
          out.println("   refused by the guard: " + refused.getMessage());
        } catch (IOException failed) {
          out.println("   link failed: " + failed.getMessage());
        }
        if (i == 1) {
          exchange.down = true; // the link goes down after two good sends
        }
      }
      out.println("   circuit is now " + link.circuitState());

      settle(runtime);
      out.println(
          "== 6. An ordinary SLF4J statement in the same schema, with a CR/LF injection try");
      APP_LOG.info("gateway heartbeat ok\n{\"level\":\"ERROR\",\"msg\":\"forged\"}");

      if (!settle(runtime)) {
        out.println("FAILED: events were not delivered within 5 s");
        return 1;
      }
      out.println("== 7. Pre-open trading readiness (R7) and capacity headroom (R1)");
      orders.raiseHistoricalPeak(12_000);
      orders.recordTested(40_000, "pressure test 2026-11-28");
      HealthReport readiness = runtime.health().tradingReadiness();
      readiness.toText().lines().forEach(line -> out.println("   " + line));
      out.printf(
          "   orders: historical peak %.0f/s, tested %.0f/s, headroom %.2fx (R1 requires %.0fx)%n",
          orders.historicalPeak(),
          orders.testedCapacity(),
          orders.headroom(),
          runtime.capacity().requiredHeadroom());

      if (!settle(runtime)) {
        out.println("FAILED: events were not delivered within 5 s");
        return 1;
      }
      out.println("== 8. Operations through the ops endpoint, with two operators (R5, R15)");
      String zhang = newToken();
      String li = newToken();
      try (OpsEndpoint ops =
          OpsEndpoint.start(
              runtime,
              OpsEndpointSettings.builder()
                  .token("zhang.san", zhang)
                  .token("li.si", li)
                  .action("limits.reload", Risk.HIGH, params -> "price limits reloaded")
                  .build())) {
        DemoHttp http = new DemoHttp(ops.uri());
        out.println("   ops endpoint at " + ops.uri() + " (loopback only)");
        out.println("   GET  /health/readiness -> " + http.get("/health/readiness"));
        out.println(
            "   POST /guards/exchange-link/reset without a token -> "
                + http.post("/guards/exchange-link/reset?reason=link%20restored", null));
        exchange.down = false;
        out.println(
            "   POST /guards/exchange-link/reset as zhang.san -> "
                + http.post("/guards/exchange-link/reset?reason=link%20restored", zhang));
        String requested = http.post("/operations/limits.reload?reason=new%20limits%20file", zhang);
        out.println("   POST /operations/limits.reload as zhang.san -> " + requested);
        String id = requested.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        out.println(
            "   POST approve as zhang.san himself -> "
                + http.post("/operations/requests/" + id + "/approve", zhang));
        out.println(
            "   POST approve as li.si -> "
                + http.post("/operations/requests/" + id + "/approve", li));
        out.println(
            "   POST perform as li.si -> "
                + http.post("/operations/requests/" + id + "/perform", li));
        out.println("   GET  /operations/verify -> " + http.get("/operations/verify"));
        out.println("   GET  /metrics -> " + http.lines("/metrics") + " lines of Prometheus text");
      }
      out.println("   operation log: " + operationLog);
      Instant mondayMorning = Instant.parse("2026-11-30T02:00:00Z");
      ChangeWindow window = ChangeWindow.of(TradingCalendar.chinaEquities().build());
      out.println(
          "   with the SSE/SZSE calendar, at 10:00 on a Monday: "
              + window.refusal("limits.reload", window.blockAt(mondayMorning).orElseThrow()));

      if (!settle(runtime)) {
        out.println("FAILED: events were not delivered within 5 s");
        return 1;
      }
      out.println("== 9. Metrics: stability.events by code, then guard calls");
      long published = 0;
      for (Counter counter : registry.find("stability.events").counters()) {
        published += (long) counter.count();
        out.printf(
            "   %-28s %-9s %.0f%n",
            counter.getId().getTag("code"), counter.getId().getTag("level"), counter.count());
      }
      out.println("   stability.guard.calls by outcome (guard exchange-link)");
      for (FunctionTimer timer : registry.find("stability.guard.calls").functionTimers()) {
        if (timer.count() > 0) {
          out.printf("   %-28s %.0f%n", timer.getId().getTag("outcome"), timer.count());
        }
      }
      int written;
      synchronized (lines) {
        written = lines.size();
      }
      long dropped = runtime.events().dropped();
      out.println(
          "== 10. "
              + published
              + " records published, "
              + written
              + " written, "
              + dropped
              + " dropped");
      return published == written && dropped == 0 && published > 0 ? 0 : 2;
    }
  }

  private static String newToken() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** A stand-in for the exchange gateway that can be switched off. */
  static final class SimulatedExchange {
    volatile boolean down;

    String send(String order) throws IOException {
      if (down) {
        throw new IOException("exchange link down");
      }
      return "ack " + order;
    }
  }

  /** Waits until what was published so far is written, so output follows the narration. */
  private static boolean settle(StabilityRuntime runtime) throws InterruptedException {
    boolean delivered = runtime.events().awaitDelivery(Duration.ofSeconds(5));
    System.out.flush();
    return delivered;
  }

  private static void record(List<String> lines, String line) {
    synchronized (lines) {
      lines.add(line);
    }
  }
}
