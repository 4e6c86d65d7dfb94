package dev.stability.ops.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stability.api.ServiceIdentity;
import dev.stability.api.event.LogRecord;
import dev.stability.api.health.HealthKind;
import dev.stability.api.health.HealthStatus;
import dev.stability.api.metric.StabilityMetric;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.capacity.CapacityIndicator;
import dev.stability.core.consistency.CheckpointAuditor;
import dev.stability.core.consistency.ConsistencyDiff;
import dev.stability.core.event.LogRecordFormat;
import dev.stability.core.guard.Guard;
import dev.stability.core.health.HealthReport;
import dev.stability.core.operations.Approval;
import dev.stability.core.operations.OperationLog;
import dev.stability.core.switchover.SwitchReadiness;
import dev.stability.core.switchover.SwitchReport;
import dev.stability.ops.OpsEndpointSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** What the endpoint's reads answer, as JSON: only what the runtime and the settings expose. */
final class OpsReads {

  static final Set<String> HEALTH_KINDS = Set.of("liveness", "readiness", "trading-readiness");

  private final StabilityRuntime runtime;
  private final OpsEndpointSettings options;
  private final Supplier<List<DualControl.Pending>> pending;
  private HealthReport lastTrading;
  private long lastTradingAt;

  OpsReads(
      StabilityRuntime runtime,
      OpsEndpointSettings options,
      Supplier<List<DualControl.Pending>> pending) {
    this.runtime = runtime;
    this.options = options;
    this.pending = pending;
  }

  Answer status() {
    ServiceIdentity identity = runtime.identity();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("system", identity.systemCode());
    body.put("subsystem", identity.subsystem());
    body.put("instance", identity.instanceId());
    body.put("site", identity.site().name());
    body.put("role", runtime.role().name());
    body.put("grade", identity.grade());
    body.put("epoch", options.epoch().map(e -> (Object) e.getAsLong()).orElse(null));
    body.put("time", runtime.clock().instant().toString());
    body.put("tls", options.tls().isPresent());
    body.put("reads_need_token", !options.address().isLoopbackAddress());
    body.put("switch_controller", options.switchController().isPresent());
    return Answer.json(200, body);
  }

  Answer health(String which) {
    HealthReport report =
        switch (which) {
          case "liveness" -> runtime.health().report(HealthKind.LIVENESS);
          case "readiness" -> runtime.health().report(HealthKind.READINESS);
          default -> tradingReadiness();
        };
    boolean failed =
        which.equals("trading-readiness") ? !report.passed() : report.status() == HealthStatus.DOWN;
    return Answer.json(failed ? 503 : 200, report.toJson());
  }

  /**
   * The pre-open run ignores the health cache and publishes an event; over HTTP one run serves
   * every request for five seconds, so polling it cannot flood checks or events.
   */
  private synchronized HealthReport tradingReadiness() {
    long now = runtime.clock().millis();
    if (lastTrading == null || now - lastTradingAt >= 5_000) {
      lastTrading = runtime.health().tradingReadiness();
      lastTradingAt = now;
    }
    return lastTrading;
  }

  Answer metrics() {
    return PrometheusText.scrape(runtime.meterRegistry())
        .map(
            text ->
                new Answer(
                    200,
                    "text/plain; version=0.0.4; charset=utf-8",
                    text.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .orElseGet(
            () ->
                Answer.error(
                    501,
                    "not implemented",
                    "metrics in Prometheus text need a PrometheusMeterRegistry"
                        + " (micrometer-registry-prometheus) as the runtime's meter registry"));
  }

  Answer guards() {
    List<Map<String, Object>> list = new ArrayList<>();
    for (Guard guard : runtime.guards().all()) {
      Map<String, Object> g = new LinkedHashMap<>();
      g.put("name", guard.name());
      g.put("circuit_state", guard.circuitState().name());
      g.put("inflight", guard.inflight());
      g.put("concurrency_limit", guard.concurrencyLimit());
      g.put("shedding", guard.shedding());
      g.put("latency_ms", latencyMillis(guard.name()));
      list.add(g);
    }
    return Answer.json(200, Map.of("guards", list));
  }

  /**
   * The guard's last-minute latency by quantile ({@code "0.5"}, ... {@code "0.999"}) in ms, null
   * for a quantile with no call in the window; null if the guard does not publish percentiles.
   */
  private Map<String, Double> latencyMillis(String guard) {
    Map<String, Double> byQuantile = new java.util.TreeMap<>();
    for (Gauge gauge :
        runtime
            .meterRegistry()
            .find(StabilityMetric.GUARD_LATENCY.metricName())
            .tag("guard", guard)
            // this runtime's: another one may share the registry with a guard of the same name
            .tag("system", runtime.identity().systemCode())
            .tag("instance", runtime.identity().instanceId())
            .gauges()) {
      double seconds = gauge.value();
      byQuantile.put(
          gauge.getId().getTag("quantile"), Double.isNaN(seconds) ? null : seconds * 1_000);
    }
    return byQuantile.isEmpty() ? null : byQuantile;
  }

  Answer capacity() {
    List<Map<String, Object>> list = new ArrayList<>();
    for (CapacityIndicator indicator : runtime.capacity().all()) {
      Map<String, Object> i = new LinkedHashMap<>();
      i.put("name", indicator.name());
      i.put("rate", indicator.rate());
      i.put("peak_today", indicator.peakToday());
      i.put("historical_peak", indicator.historicalPeak());
      i.put("tested", indicator.testedCapacity());
      i.put("provisioned", indicator.provisionedCapacity());
      i.put("capacity", indicator.capacity());
      i.put("basis", indicator.capacityBasis().label());
      i.put("required", indicator.requiredMultiple());
      double headroom = indicator.headroom();
      i.put("headroom", Double.isNaN(headroom) || Double.isInfinite(headroom) ? null : headroom);
      i.put("total", indicator.total());
      list.add(i);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("required_headroom", runtime.capacity().requiredHeadroom());
    body.put("trading_day", runtime.capacity().tradingDay().toString());
    body.put("peak_window", runtime.capacity().peakWindow().toString());
    body.put("indicators", list);
    return Answer.json(200, body);
  }

  Answer consistency() throws IOException {
    CheckpointAuditor auditor = runtime.consistency().auditor();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put(
        "last_matched_sequence",
        auditor.lastMatchedSequence().isPresent()
            ? auditor.lastMatchedSequence().getAsLong()
            : null);
    body.put(
        "first_mismatch_sequence",
        auditor.firstMismatchSequence().isPresent()
            ? auditor.firstMismatchSequence().getAsLong()
            : null);
    body.put("checks", count(StabilityMetric.CONSISTENCY_CHECKS.metricName()));
    body.put("mismatches", count(StabilityMetric.CONSISTENCY_MISMATCHES.metricName()));
    ConsistencyDiff diff = options.lastDiff().map(Supplier::get).orElse(null);
    body.put("last_diff", diff == null ? null : Answer.JSON.readTree(diff.toJson()));
    return Answer.json(200, body);
  }

  private long count(String name) {
    double total = 0;
    for (Counter counter : runtime.meterRegistry().find(name).counters()) {
      total += counter.count();
    }
    return (long) total;
  }

  Answer switchReadiness(Approval approval) {
    Map<String, Object> body = new LinkedHashMap<>();
    if (options.switchController().isEmpty()) {
      body.put("configured", false);
      body.put("gates", List.of());
      return Answer.json(200, body);
    }
    SwitchReadiness readiness = options.switchController().get().readiness(approval);
    List<Map<String, Object>> gates = new ArrayList<>();
    for (SwitchReadiness.Gate gate : readiness.gates()) {
      Map<String, Object> g = new LinkedHashMap<>();
      g.put("name", gate.name());
      g.put("passed", gate.passed());
      g.put("reason", gate.reason());
      gates.add(g);
    }
    body.put("configured", true);
    body.put("ready", readiness.ready());
    body.put("approval", approval == null ? null : approval.id());
    body.put("gates", gates);
    return Answer.json(200, body);
  }

  Answer operationsTail(Map<String, String> params) throws IOException {
    int limit;
    try {
      limit = Integer.parseInt(params.getOrDefault("limit", "50"));
    } catch (NumberFormatException e) {
      throw new BadRequest("limit must be a number 1..1000, got '" + params.get("limit") + "'");
    }
    if (limit < 1 || limit > 1000) {
      throw new BadRequest("limit must be a number 1..1000, got " + limit);
    }
    List<JsonNode> records = new ArrayList<>();
    for (LogRecord record : runtime.operations().log().tail(limit)) {
      records.add(Answer.JSON.readTree(LogRecordFormat.toJson(record)));
    }
    return Answer.json(200, Map.of("records", records));
  }

  Answer verify() {
    OperationLog.Verification verification = runtime.operations().log().verify();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("intact", verification.intact());
    body.put("records", verification.records());
    body.put("files", verification.files());
    verification
        .problem()
        .ifPresent(
            p -> {
              Map<String, Object> problem = new LinkedHashMap<>();
              problem.put("file", String.valueOf(p.file()));
              problem.put("line", p.line());
              problem.put("op_seq", p.opSeq());
              problem.put("description", p.description());
              body.put("problem", problem);
            });
    return Answer.json(200, body);
  }

  Answer requests() {
    List<Map<String, Object>> list = new ArrayList<>();
    for (DualControl.Pending p : pending.get()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("id", p.request().id());
      r.put("action", p.request().operation().action());
      r.put("target", p.request().operation().target());
      r.put("operator", p.request().operation().operator());
      r.put("reason", p.request().operation().reason());
      r.put("emergency", p.request().operation().emergency());
      r.put("approved_by", p.approval() == null ? null : p.approval().reviewer());
      r.put(
          "due",
          (p.approval() == null ? p.request().approveBy() : p.approval().performBy()).toString());
      list.add(r);
    }
    return Answer.json(200, Map.of("requests", list));
  }

  /** A switch report as the console shows it. */
  static Map<String, Object> report(SwitchReport report) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("kind", report.kind());
    r.put("switch_sequence", report.switchSequence());
    r.put("epoch", report.epoch());
    r.put("takeover_ms", report.takeover().toNanos() / 1e6);
    r.put("digests_equal", report.digestsEqual());
    r.put("possibly_lost", report.possiblyLost());
    if (report.possiblyLost() > 0) {
      r.put("lost_from", report.lostFrom());
      r.put("lost_to", report.lostTo());
    }
    return r;
  }
}
