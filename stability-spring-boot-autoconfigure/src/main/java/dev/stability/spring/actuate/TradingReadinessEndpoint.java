package dev.stability.spring.actuate;

import dev.stability.core.StabilityRuntime;
import dev.stability.core.health.CheckResult;
import dev.stability.core.health.HealthReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code tradingreadiness} Actuator endpoint (R7): each read runs the pre-open report afresh
 * (every readiness and trading-readiness check, ignoring the cache) and answers it, with {@code
 * passed} true only if every check is UP. The run publishes {@code TRADING_READINESS_PASSED} or
 * {@code TRADING_READINESS_FAILED}, as {@code runtime.health().tradingReadiness()} does.
 */
@Endpoint(id = "tradingreadiness")
public class TradingReadinessEndpoint {

  private final StabilityRuntime runtime;

  /** An endpoint over {@code runtime}'s checks. */
  public TradingReadinessEndpoint(StabilityRuntime runtime) {
    this.runtime = runtime;
  }

  /** Runs the trading-readiness report and answers it. */
  @ReadOperation
  public Map<String, Object> report() {
    HealthReport report = runtime.health().tradingReadiness();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("scope", report.scope());
    out.put("system", report.system());
    out.put("instance", report.instance());
    out.put("status", report.status().name());
    out.put("passed", report.passed());
    out.put("started_at", report.startedAt().toString());
    out.put("duration_ms", report.duration().toMillis());
    List<Map<String, Object>> checks = new ArrayList<>();
    for (CheckResult check : report.checks()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", check.name());
      entry.put("kind", check.kind().label());
      entry.put("grade", check.grade());
      entry.put("status", check.status().name());
      entry.put("reason", check.reason());
      entry.put("details", check.details());
      entry.put("duration_ms", check.duration().toMillis());
      checks.add(entry);
    }
    out.put("checks", checks);
    return out;
  }
}
