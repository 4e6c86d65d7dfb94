package dev.stability.core.health;

import dev.stability.api.health.HealthKind;
import dev.stability.api.health.HealthStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The last answer of one registered check, as the registry saw it: what the check said (or DOWN
 * when it threw or timed out), how long it took and when. Immutable.
 *
 * @param name the check's name
 * @param kind what it answers
 * @param grade protection grade of the component, 1..4
 * @param status what was found
 * @param reason why, in one line
 * @param details extra values from the check
 * @param duration how long the check ran (wall time); for a timed-out check, the timeout
 * @param checkedAt when the answer was obtained, on the runtime's clock ({@code null} if never)
 */
public record CheckResult(
    String name,
    HealthKind kind,
    int grade,
    HealthStatus status,
    String reason,
    Map<String, Object> details,
    Duration duration,
    @Nullable Instant checkedAt) {

  /** Copies the details. */
  public CheckResult {
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  /**
   * The status this check contributes to its kind's aggregate: UNKNOWN counts as DEGRADED, and a
   * DOWN component of grade 2..4 only degrades the service; a DOWN grade-1 component takes it down.
   */
  public HealthStatus effectiveStatus() {
    return switch (status) {
      case UP, DEGRADED -> status;
      case UNKNOWN -> HealthStatus.DEGRADED;
      case DOWN -> grade == 1 ? HealthStatus.DOWN : HealthStatus.DEGRADED;
    };
  }
}
