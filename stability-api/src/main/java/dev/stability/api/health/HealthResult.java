package dev.stability.api.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The answer of one health check: a status, a reason an operator can act on, and details (small
 * values such as {@code free_bytes} or {@code breaker}). Immutable; the {@code with} methods return
 * copies.
 *
 * <pre>{@code
 * return free < min
 *     ? HealthResult.down("disk " + path + " has " + free + " bytes free, needs " + min)
 *         .withDetail("free_bytes", free)
 *     : HealthResult.up();
 * }</pre>
 *
 * @param status what the check found
 * @param reason why, in one line; empty when UP needs no explanation
 * @param details extra values by name, in insertion order (strings, numbers or booleans)
 */
public record HealthResult(HealthStatus status, String reason, Map<String, Object> details) {

  /** Validates and copies. */
  public HealthResult {
    Objects.requireNonNull(status, "status");
    reason = reason == null ? "" : reason;
    details =
        details == null || details.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    for (Map.Entry<String, Object> detail : details.entrySet()) {
      Object value = detail.getValue();
      if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
        throw new IllegalArgumentException(
            "health detail '"
                + detail.getKey()
                + "' must be a string, number or boolean, got "
                + (value == null ? "null" : value.getClass().getName()));
      }
    }
  }

  /** UP with no reason. */
  public static HealthResult up() {
    return new HealthResult(HealthStatus.UP, "", Map.of());
  }

  /** UP with a reason (for example what was verified). */
  public static HealthResult up(String reason) {
    return new HealthResult(HealthStatus.UP, reason, Map.of());
  }

  /** DEGRADED with a reason. */
  public static HealthResult degraded(String reason) {
    return new HealthResult(HealthStatus.DEGRADED, reason, Map.of());
  }

  /** DOWN with a reason. */
  public static HealthResult down(String reason) {
    return new HealthResult(HealthStatus.DOWN, reason, Map.of());
  }

  /** UNKNOWN with a reason. */
  public static HealthResult unknown(String reason) {
    return new HealthResult(HealthStatus.UNKNOWN, reason, Map.of());
  }

  /** A copy with one more detail. */
  public HealthResult withDetail(String name, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(details);
    copy.put(Objects.requireNonNull(name, "name"), value);
    return new HealthResult(status, reason, copy);
  }
}
