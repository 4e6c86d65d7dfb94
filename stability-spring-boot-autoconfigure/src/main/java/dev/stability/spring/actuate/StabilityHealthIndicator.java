package dev.stability.spring.actuate;

import dev.stability.api.health.HealthKind;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.health.CheckResult;
import dev.stability.core.health.HealthReport;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/**
 * One kind of the runtime's health checks (liveness or readiness) as an Actuator health indicator.
 * The status is the SDK's aggregate for that kind, so grades are respected: a grade-1 check that is
 * DOWN makes it DOWN; a lower-grade one only degrades the kind, which Actuator sees as UP with
 * {@code stability: DEGRADED}. UNKNOWN (a check not yet run) stays UNKNOWN. Every check of the kind
 * is listed under {@code checks} with its grade, status and reason. Runs the checks through the
 * runtime (cached, each bounded by its timeout).
 */
public class StabilityHealthIndicator extends AbstractHealthIndicator {

  private final StabilityRuntime runtime;
  private final HealthKind kind;

  /** An indicator of {@code kind}'s checks of {@code runtime}. */
  public StabilityHealthIndicator(StabilityRuntime runtime, HealthKind kind) {
    super("stability " + kind.label() + " checks failed");
    this.runtime = runtime;
    this.kind = kind;
  }

  /** The kind of checks this indicator reports. */
  public HealthKind kind() {
    return kind;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    HealthReport report = runtime.health().report(kind);
    Status status =
        switch (report.status()) {
          case UP, DEGRADED -> Status.UP;
          case DOWN -> Status.DOWN;
          case UNKNOWN -> Status.UNKNOWN;
        };
    Map<String, Object> checks = new LinkedHashMap<>();
    for (CheckResult check : report.checks()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("status", check.status().name());
      entry.put("grade", check.grade());
      if (!check.reason().isEmpty()) {
        entry.put("reason", check.reason());
      }
      if (!check.details().isEmpty()) {
        entry.put("details", check.details());
      }
      checks.put(check.name(), entry);
    }
    builder
        .status(status)
        .withDetail("stability", report.status().name())
        .withDetail("kind", kind.label())
        .withDetail("checks", checks);
  }
}
