package dev.stability.api.event;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One record of the log schema v1: an event, or an application's business, operation or interface
 * log. Immutable and thread-safe. Applications build the fields they know ({@link
 * #builder(EventCode)}); the runtime stamps time, identity, role, thread and a serial number before
 * output.
 */
public final class LogRecord {

  private static final LogField[] FIELDS = LogField.values();

  private final Object[] values;
  private final Map<String, String> attrs;

  private LogRecord(Builder builder) {
    // The builder hands its arrays over and copies them only if it is changed afterwards
    // (copy-on-write): most builders are built once and dropped, so this saves two copies.
    this.values = builder.values;
    this.attrs = builder.attrs == null ? Map.of() : Collections.unmodifiableMap(builder.attrs);
    builder.shared = true;
  }

  /**
   * Starts a record for an event code: sets {@code code}, {@code category} and the code's default
   * {@code level}.
   */
  public static Builder builder(EventCode code) {
    Objects.requireNonNull(code, "code");
    return new Builder()
        .set(LogField.CODE, code.code())
        .set(LogField.CATEGORY, code.category())
        .set(LogField.LEVEL, code.level());
  }

  /** Starts an empty record; for code that rebuilds records field by field (parsers, encoders). */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether {@code key} is a valid attribute key: 1-64 characters of letters, digits, {@code _ .
   * -}, starting with a letter (the schema's {@code attrs} key rule).
   */
  public static boolean isAttrKey(@Nullable String key) {
    if (key == null || key.isEmpty() || key.length() > 64) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      boolean other = (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
      if (!(letter || (i > 0 && other))) {
        return false;
      }
    }
    return true;
  }

  /** A builder holding this record's fields, to derive a changed copy. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    System.arraycopy(values, 0, builder.values, 0, values.length);
    if (!attrs.isEmpty()) {
      builder.attrs = new TreeMap<>(attrs);
    }
    return builder;
  }

  /**
   * The value of a field, of type {@link LogField#type()}, or {@code null} if absent. For {@link
   * LogField#ATTRS} returns the attribute map (never {@code null}).
   */
  public @Nullable Object get(LogField field) {
    return field == LogField.ATTRS ? attrs : values[field.ordinal()];
  }

  /** Whether the field has a value ({@code attrs} counts when non-empty). */
  public boolean has(LogField field) {
    return field == LogField.ATTRS ? !attrs.isEmpty() : values[field.ordinal()] != null;
  }

  /** The event code. */
  public @Nullable String code() {
    return (String) values[LogField.CODE.ordinal()];
  }

  /** The level. */
  public @Nullable Level level() {
    return (Level) values[LogField.LEVEL.ordinal()];
  }

  /** The category. */
  public @Nullable Category category() {
    return (Category) values[LogField.CATEGORY.ordinal()];
  }

  /** The event time, or {@code null} before the runtime stamped it. */
  public @Nullable OffsetDateTime timestamp() {
    return (OffsetDateTime) values[LogField.TS.ordinal()];
  }

  /** The message. */
  public @Nullable String message() {
    return (String) values[LogField.MSG.ordinal()];
  }

  /** The serial number / trace id. */
  public @Nullable String seq() {
    return (String) values[LogField.SEQ.ordinal()];
  }

  /** A string-valued field, or {@code null}. */
  public @Nullable String text(LogField field) {
    Object value = get(field);
    return value == null ? null : value.toString();
  }

  /**
   * Free attributes, sorted by key so that every output (the SDK formatter, Logback, Log4j2) writes
   * them in the same order; never {@code null}.
   */
  public Map<String, String> attrs() {
    return attrs;
  }

  /** Required fields that have no value yet; empty for a complete record. */
  public List<LogField> missingRequired() {
    List<LogField> missing = new ArrayList<>(0);
    for (LogField field : FIELDS) {
      if (field.required() && !has(field)) {
        missing.add(field);
      }
    }
    return missing;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LogRecord that
        && Arrays.equals(values, that.values)
        && attrs.equals(that.attrs);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(values) + attrs.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("LogRecord{");
    String separator = "";
    for (LogField field : FIELDS) {
      if (has(field)) {
        out.append(separator).append(field.key()).append('=').append(get(field));
        separator = ", ";
      }
    }
    return out.append('}').toString();
  }

  /**
   * Builds a {@link LogRecord}. Not thread-safe. Every setter rejects a value of the wrong type
   * with an {@link IllegalArgumentException} naming the field; {@code null} clears a field.
   */
  public static final class Builder {
    private Object[] values = new Object[FIELDS.length];
    private TreeMap<String, String> attrs;
    private boolean shared;

    private Builder() {}

    /**
     * Sets any field. The value must be of the field's {@link LogField#type()}; integral numbers
     * are accepted for {@code Long} fields. For {@link LogField#ATTRS} pass a {@code Map<String,
     * String>}, which replaces the attributes.
     */
    public Builder set(LogField field, @Nullable Object value) {
      Objects.requireNonNull(field, "field");
      unshare();
      if (field == LogField.ATTRS) {
        attrs = null;
        if (value != null) {
          if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(
                "field 'attrs' needs a Map<String, String>, got " + value.getClass().getName());
          }
          map.forEach((k, v) -> attr(String.valueOf(k), v == null ? null : String.valueOf(v)));
        }
        return this;
      }
      Object checked = value;
      if (value != null && field.type() == Long.class && value instanceof Integer i) {
        checked = i.longValue();
      }
      if (checked != null && !field.type().isInstance(checked)) {
        throw new IllegalArgumentException(
            "field '"
                + field.key()
                + "' needs a "
                + field.type().getSimpleName()
                + ", got "
                + checked.getClass().getName());
      }
      values[field.ordinal()] = checked;
      return this;
    }

    /** The current value of a field in this builder, or {@code null}. */
    public @Nullable Object get(LogField field) {
      if (field == LogField.ATTRS) {
        return attrs == null ? null : Collections.unmodifiableMap(attrs);
      }
      return values[field.ordinal()];
    }

    /** Copies the arrays a built record now owns before this builder changes anything. */
    private void unshare() {
      if (shared) {
        values = values.clone();
        if (attrs != null) {
          attrs = new TreeMap<>(attrs);
        }
        shared = false;
      }
    }

    /** Sets the message. */
    public Builder message(@Nullable String value) {
      return set(LogField.MSG, value);
    }

    /** Overrides the code's default level. */
    public Builder level(@Nullable Level value) {
      return set(LogField.LEVEL, value);
    }

    /** Sets the serial number / trace id; the runtime assigns one when absent. */
    public Builder seq(@Nullable String value) {
      return set(LogField.SEQ, value);
    }

    /** Sets the operator (R5). */
    public Builder operator(@Nullable String value) {
      return set(LogField.OPERATOR, value);
    }

    /** Sets the reviewer / approver (R5). */
    public Builder reviewer(@Nullable String value) {
      return set(LogField.REVIEWER, value);
    }

    /** Sets the member or client id; it is masked before output (R16). */
    public Builder member(@Nullable String value) {
      return set(LogField.MEMBER, value);
    }

    /** Sets the account; it is masked before output (R16). */
    public Builder account(@Nullable String value) {
      return set(LogField.ACCOUNT, value);
    }

    /** Sets the order id. */
    public Builder order(@Nullable String value) {
      return set(LogField.ORDER, value);
    }

    /** Sets the guard name. */
    public Builder guard(@Nullable String value) {
      return set(LogField.GUARD, value);
    }

    /** Sets the interface id (R17). */
    public Builder interfaceId(@Nullable String value) {
      return set(LogField.INTERFACE, value);
    }

    /** Sets the other application of an interface call (R17). */
    public Builder peer(@Nullable String value) {
      return set(LogField.PEER, value);
    }

    /** Sets the duration in microseconds (R17). */
    public Builder durationMicros(long value) {
      if (value < 0) {
        throw new IllegalArgumentException("field 'duration_us' must be >= 0, got " + value);
      }
      return set(LogField.DURATION_US, value);
    }

    /** Sets the outcome (R17). */
    public Builder outcome(@Nullable Outcome value) {
      return set(LogField.OUTCOME, value);
    }

    /** Sets the replication epoch. */
    public Builder epoch(long value) {
      return set(LogField.EPOCH, value);
    }

    /** Sets the journal sequence. */
    public Builder journalSeq(long value) {
      return set(LogField.JOURNAL_SEQ, value);
    }

    /** Sets {@code error.type} and {@code error.message} from an exception. */
    public Builder error(@Nullable Throwable error) {
      if (error == null) {
        return set(LogField.ERROR_TYPE, null).set(LogField.ERROR_MESSAGE, null);
      }
      return set(LogField.ERROR_TYPE, error.getClass().getName())
          .set(LogField.ERROR_MESSAGE, error.getMessage());
    }

    /**
     * Adds a free attribute. Keys are 1-64 characters of letters, digits, {@code _ . -}, starting
     * with a letter; a {@code null} value removes the key.
     */
    public Builder attr(String key, @Nullable String value) {
      if (!isAttrKey(key)) {
        throw new IllegalArgumentException(
            "attribute key "
                + (key == null ? "null" : "'" + key + "'")
                + " must be 1-64 characters of letters, digits, '_', '.', '-' starting with a"
                + " letter");
      }
      unshare();
      if (value == null) {
        if (attrs != null) {
          attrs.remove(key);
        }
        return this;
      }
      if (attrs == null) {
        attrs = new TreeMap<>();
      }
      attrs.put(key, value);
      return this;
    }

    /** Adds a free attribute with a number value (written as a string). */
    public Builder attr(String key, long value) {
      return attr(key, Long.toString(value));
    }

    /** Builds the record; missing required fields are allowed until the runtime stamps them. */
    public LogRecord build() {
      return new LogRecord(this);
    }
  }
}
