package dev.stability.core.health;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.stability.api.health.HealthStatus;
import dev.stability.core.event.LogRecordFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of running a set of checks: the aggregate status and every check's answer, as JSON
 * for tools and as text for an operator (R7: what is run before the next trading day). Immutable.
 *
 * @param scope what was checked: {@code liveness}, {@code readiness} or {@code trading_readiness}
 * @param system the service's system code
 * @param instance the service's instance id
 * @param status the aggregate (see {@link Health})
 * @param checks every check's answer, in registration order
 * @param startedAt when the run started, on the runtime's clock and zone
 * @param duration how long the run took (wall time)
 */
public record HealthReport(
    String scope,
    String system,
    String instance,
    HealthStatus status,
    List<CheckResult> checks,
    OffsetDateTime startedAt,
    Duration duration) {

  private static final JsonFactory JSON = new JsonFactory();

  /** Copies the list. */
  public HealthReport {
    checks = List.copyOf(checks);
  }

  /** Whether every check is UP: the bar for trading readiness. */
  public boolean passed() {
    return checks.stream().allMatch(c -> c.status() == HealthStatus.UP);
  }

  /** The checks that are not UP. */
  public List<CheckResult> failures() {
    return checks.stream().filter(c -> c.status() != HealthStatus.UP).toList();
  }

  /** The report as one JSON document (stable field names, snake case). */
  public String toJson() {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("scope", scope);
      json.writeStringField("system", system);
      json.writeStringField("instance", instance);
      json.writeStringField("status", status.name());
      json.writeBooleanField("passed", passed());
      json.writeStringField("started_at", LogRecordFormat.formatTimestamp(startedAt));
      json.writeNumberField("duration_ms", millis(duration));
      json.writeArrayFieldStart("checks");
      for (CheckResult check : checks) {
        json.writeStartObject();
        json.writeStringField("name", check.name());
        json.writeStringField("kind", check.kind().label());
        json.writeNumberField("grade", check.grade());
        json.writeStringField("status", check.status().name());
        json.writeStringField("reason", check.reason());
        json.writeNumberField("duration_ms", millis(check.duration()));
        json.writeStringField(
            "checked_at", check.checkedAt() == null ? null : check.checkedAt().toString());
        json.writeObjectFieldStart("details");
        for (Map.Entry<String, Object> detail : check.details().entrySet()) {
          json.writeFieldName(detail.getKey());
          writeValue(json, detail.getValue());
        }
        json.writeEndObject();
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** The report as aligned text lines, one per check, in registration order. */
  public String toText() {
    StringBuilder text = new StringBuilder();
    text.append(scope.replace('_', ' '))
        .append(" of ")
        .append(system)
        .append('/')
        .append(instance)
        .append(" at ")
        .append(
            DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                startedAt.truncatedTo(ChronoUnit.SECONDS)))
        .append(": ")
        .append(passed() ? "PASSED" : "NOT PASSED")
        .append(", status ")
        .append(status)
        .append(" (")
        .append(checks.size())
        .append(checks.size() == 1 ? " check, " : " checks, ")
        .append(String.format(Locale.ROOT, "%.1f ms", millis(duration)))
        .append(")\n");
    text.append(
        String.format(
            Locale.ROOT,
            "  %-9s %-5s %-18s %10s  %s%n",
            "STATUS",
            "GRADE",
            "CHECK",
            "TIME",
            "REASON"));
    for (CheckResult check : checks) {
      text.append(
          String.format(
              Locale.ROOT,
              "  %-9s %-5d %-18s %7.1f ms  %s%n",
              check.status(),
              check.grade(),
              check.name(),
              millis(check.duration()),
              check.reason().isEmpty() ? "-" : check.reason()));
    }
    return text.toString();
  }

  private static double millis(Duration duration) {
    return Math.round(duration.toNanos() / 1e3) / 1e3;
  }

  private static void writeValue(JsonGenerator json, Object value) throws IOException {
    if (value instanceof Boolean b) {
      json.writeBoolean(b);
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      json.writeNumber(((Number) value).longValue());
    } else if (value instanceof Number n) {
      json.writeNumber(n.doubleValue());
    } else {
      json.writeString(String.valueOf(value));
    }
  }
}
