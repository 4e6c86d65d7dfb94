package dev.stability.api.event;

import dev.stability.api.Role;
import dev.stability.api.Site;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The fields of the log record schema v1, in canonical output order, each with its JSON key, value
 * type, whether it is required, and its OpenTelemetry / ECS aliases. The JSON Schema resource
 * {@code dev/stability/api/event/log-record-v1.schema.json} describes the same fields (a test keeps
 * the two equal).
 */
public enum LogField {
  /** Event time, ISO-8601 with microseconds and offset. */
  TS("ts", OffsetDateTime.class, true, "@timestamp", "Timestamp"),
  /** Severity. */
  LEVEL("level", Level.class, true, "log.level", "SeverityText"),
  /** Log category (R4). */
  CATEGORY("category", Category.class, true),
  /** System code. */
  SYSTEM("system", String.class, true, "service.name"),
  /** Subsystem. */
  SUBSYSTEM("subsystem", String.class, false, "service.namespace"),
  /** Instance id. */
  INSTANCE("instance", String.class, true, "service.instance.id"),
  /** Site of the instance. */
  SITE("site", Site.class, true, "cloud.availability_zone"),
  /** Current role of the instance. */
  ROLE("role", Role.class, true),
  /** Event code from a catalog. */
  CODE("code", String.class, true, "event.code"),
  /** Serial number or trace id (R17). */
  SEQ("seq", String.class, true, "trace.id"),
  /** Human-readable message. */
  MSG("msg", String.class, true, "message", "Body"),
  /** Thread that produced the record. */
  THREAD("thread", String.class, false, "process.thread.name"),
  /** Logger name, for ordinary log statements. */
  LOGGER("logger", String.class, false, "log.logger"),
  /** Operator who performed an operation (R5). */
  OPERATOR("operator", String.class, false, "user.name"),
  /** Reviewer / approver of an operation (R5). */
  REVIEWER("reviewer", String.class, false),
  /** Member or client id, masked (R16). */
  MEMBER("member", String.class, false),
  /** Account, masked (R16). */
  ACCOUNT("account", String.class, false),
  /** Order id. */
  ORDER("order", String.class, false),
  /** Guard name. */
  GUARD("guard", String.class, false),
  /** Interface id (R17). */
  INTERFACE("interface", String.class, false),
  /** The other application of an interface call (R17). */
  PEER("peer", String.class, false, "destination.service.name"),
  /** Duration in microseconds (R17). */
  DURATION_US("duration_us", Long.class, false, "event.duration"),
  /** Result (R17). */
  OUTCOME("outcome", Outcome.class, false, "event.outcome"),
  /** Replication epoch. */
  EPOCH("epoch", Long.class, false),
  /** Journal sequence. */
  JOURNAL_SEQ("journal_seq", Long.class, false),
  /** Exception class name. */
  ERROR_TYPE("error.type", String.class, false),
  /** Exception message. */
  ERROR_MESSAGE("error.message", String.class, false),
  /** Free key/value attributes (string values). */
  ATTRS("attrs", Map.class, false, "labels");

  private static final Map<String, LogField> BY_KEY = new HashMap<>();

  static {
    for (LogField field : values()) {
      BY_KEY.put(field.key, field);
    }
  }

  private final String key;
  private final Class<?> type;
  private final boolean required;
  private final List<String> aliases;

  LogField(String key, Class<?> type, boolean required, String... aliases) {
    this.key = key;
    this.type = type;
    this.required = required;
    this.aliases = List.of(aliases);
  }

  /** The JSON key in the canonical line. */
  public String key() {
    return key;
  }

  /** The Java type of the value held in a {@link LogRecord}. */
  public Class<?> type() {
    return type;
  }

  /** Whether every complete record carries this field. */
  public boolean required() {
    return required;
  }

  /** OpenTelemetry / ECS names of the same field, for pipelines that expect them. */
  public List<String> aliases() {
    return aliases;
  }

  /**
   * Looks a field up by its JSON key.
   *
   * @return the field, or {@code null} if the key is not in the schema
   */
  public static @Nullable LogField forKey(String key) {
    return BY_KEY.get(key);
  }
}
