package dev.stability.core.event.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import dev.stability.api.Role;
import dev.stability.api.ServiceIdentity;
import dev.stability.api.Site;
import dev.stability.api.event.Category;
import dev.stability.api.event.Level;
import dev.stability.api.event.LogField;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.event.LogRecordFormat;
import dev.stability.core.event.MaskingPolicy;
import dev.stability.core.event.internal.RecordMarker;
import dev.stability.core.event.internal.TimestampValue;
import dev.stability.core.internal.LiveRuntimes;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.event.KeyValuePair;

/**
 * Logback encoder that writes every event as the canonical JSON line of the log schema v1. SDK
 * records (logged by a runtime on {@code stability.*} loggers) come out exactly as the runtime
 * rendered them; ordinary application log statements are mapped into the same schema (code {@code
 * APP_LOG}, category {@code SYSTEM} unless a {@code category} key-value says otherwise, {@code
 * logger}, {@code thread}, exception as {@code error.*}, MDC and extra key-values as {@code
 * attrs}), and masked with the default {@link MaskingPolicy}. One line of configuration:
 *
 * <pre>{@code
 * <encoder class="dev.stability.core.event.logback.StabilityJsonEncoder"/>
 * }</pre>
 *
 * <p>Works with Logback 1.2.x (with SLF4J 1.7) to 1.5.x (with SLF4J 2.0): the features of 1.3 and
 * later (key-values, instants in microseconds) are used only where present.
 *
 * <p>The identity of ordinary statements comes from the encoder's properties ({@code <system>},
 * {@code <subsystem>}, {@code <instance>}, {@code <site>}, {@code <role>}, {@code <zone>}) or, when
 * unset, from the system properties {@code stability.system}, ...; what neither says comes from the
 * process's running {@code StabilityRuntime} when exactly one is open (its identity and current
 * role, which a switchover changes), and otherwise is written as unknown ({@code "unknown"}, {@code
 * UNKNOWN}): never a plausible wrong value such as a standby claiming to be the primary.
 * Thread-safe; encoding allocates only the output line.
 */
// Its signatures use the backend's types, and this module reads the backend only if the
// application has it (requires static, not transitive: no one else should need it to compile).
@SuppressWarnings("exports")
public final class StabilityJsonEncoder extends EncoderBase<ILoggingEvent> {

  private static final String[] TRACE_KEYS = {"seq", "trace_id", "traceId", "trace.id"};
  private static final byte[] EMPTY = new byte[0];

  // Told: the encoder's properties, else the system properties; null when neither says.
  private String system = System.getProperty("stability.system");
  private String subsystem = System.getProperty("stability.subsystem");
  private String instance = System.getProperty("stability.instance");
  private Site site = enumProperty(Site.class, "stability.site");
  private Role role = enumProperty(Role.class, "stability.role");
  private ZoneId zone = ZoneId.systemDefault();
  private boolean includeStackTrace = true;
  private MaskingPolicy masking = MaskingPolicy.defaults();
  private final AtomicLong serial = new AtomicLong();
  private final String serialPrefix = "log-" + Long.toString(System.currentTimeMillis(), 36) + "-";

  /** Creates the encoder; Logback configures it through the setters below. */
  public StabilityJsonEncoder() {}

  /** System code for ordinary statements. */
  public void setSystem(String value) {
    this.system = value;
  }

  /** Subsystem for ordinary statements. */
  public void setSubsystem(String value) {
    this.subsystem = value;
  }

  /** Instance id for ordinary statements. */
  public void setInstance(String value) {
    this.instance = value;
  }

  /** Site for ordinary statements: PRIMARY_DC, SAME_CITY_DR or REMOTE_DR. */
  public void setSite(String value) {
    this.site = Site.valueOf(value.trim());
  }

  /** Role for ordinary statements: PRIMARY or STANDBY. */
  public void setRole(String value) {
    this.role = Role.valueOf(value.trim());
  }

  /** Zone whose offset ordinary statements' timestamps carry, e.g. {@code Asia/Shanghai}. */
  public void setZone(String value) {
    this.zone = ZoneId.of(value.trim());
  }

  /** Whether an exception's stack trace goes into {@code attrs.stack_trace} (default true). */
  public void setIncludeStackTrace(boolean value) {
    this.includeStackTrace = value;
  }

  /** Whether ordinary statements are masked with the default policy (default true). */
  public void setMasking(boolean value) {
    this.masking = value ? MaskingPolicy.defaults() : MaskingPolicy.none();
  }

  @Override
  public byte[] headerBytes() {
    return EMPTY;
  }

  @Override
  public byte[] footerBytes() {
    return EMPTY;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return LogRecordFormat.toLineBytes(toRecord(event));
  }

  /** Maps a Logback event to a schema record (exposed for tests and other appenders). */
  public LogRecord toRecord(ILoggingEvent event) {
    boolean sdkLogger = isSdkLogger(event.getLoggerName());
    LogRecord carried = sdkLogger ? carriedRecord(event) : null;
    if (carried != null) {
      return carried; // SLF4J 1.7: the runtime's rendered record, carried by its marker
    }
    LogRecord.Builder builder = LogRecord.builder();
    boolean sdkRecord = false;
    if (LogbackFeatures.KEY_VALUES) {
      sdkRecord = KeyValues.apply(event, builder) && sdkLogger;
    }
    builder.message(event.getFormattedMessage());
    if (sdkRecord && builder.get(LogField.TS) != null && builder.get(LogField.SYSTEM) != null) {
      return builder.build(); // rendered and masked by the runtime already
    }
    fillOrdinary(builder, event);
    return masking.apply(builder.build());
  }

  /**
   * The record a {@link RecordMarker} carries, or null. {@code getMarker()} is deprecated from
   * Logback 1.3 on but is the one call every version from 1.2 has.
   */
  @SuppressWarnings("deprecation")
  private static LogRecord carriedRecord(ILoggingEvent event) {
    return event.getMarker() instanceof RecordMarker marker ? marker.record() : null;
  }

  private static boolean isSdkLogger(String loggerName) {
    return loggerName != null && loggerName.startsWith("stability.");
  }

  private void fillOrdinary(LogRecord.Builder builder, ILoggingEvent event) {
    if (builder.get(LogField.TS) == null) {
      Instant instant =
          LogbackFeatures.INSTANT ? event.getInstant() : Instant.ofEpochMilli(event.getTimeStamp());
      builder.set(LogField.TS, OffsetDateTime.ofInstant(instant, zone));
    }
    builder.set(LogField.LEVEL, toLevel(event.getLevel()));
    if (builder.get(LogField.CATEGORY) == null) {
      builder.set(LogField.CATEGORY, Category.SYSTEM);
    }
    // What was told wins; else the process's one running runtime (its current role: a standby's
    // lines never claim to be the primary's); else unknown, never a plausible wrong value.
    StabilityRuntime runtime =
        system == null || instance == null || site == null || role == null
            ? LiveRuntimes.only()
            : null;
    ServiceIdentity known = runtime == null ? null : runtime.identity();
    setIfAbsent(
        builder,
        LogField.SYSTEM,
        orElse(system, known == null ? null : known.systemCode(), "unknown"));
    setIfAbsent(
        builder,
        LogField.SUBSYSTEM,
        orElse(subsystem, known == null ? null : known.subsystem(), null));
    setIfAbsent(
        builder,
        LogField.INSTANCE,
        orElse(instance, known == null ? null : known.instanceId(), "unknown"));
    setIfAbsent(
        builder, LogField.SITE, orElse(site, known == null ? null : known.site(), Site.UNKNOWN));
    setIfAbsent(
        builder,
        LogField.ROLE,
        orElse(role, runtime == null ? null : runtime.role(), Role.UNKNOWN));
    setIfAbsent(builder, LogField.CODE, StabilityEventCode.APP_LOG.code());
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (builder.get(LogField.SEQ) == null) {
      String trace = firstNonNull(mdc, TRACE_KEYS);
      builder.seq(trace != null ? trace : serialPrefix + serial.incrementAndGet());
    }
    setIfAbsent(builder, LogField.THREAD, event.getThreadName());
    setIfAbsent(builder, LogField.LOGGER, event.getLoggerName());
    if (mdc != null) {
      for (Map.Entry<String, String> entry : mdc.entrySet()) {
        attr(builder, entry.getKey(), entry.getValue());
      }
    }
    IThrowableProxy error = event.getThrowableProxy();
    if (error != null) {
      setIfAbsent(builder, LogField.ERROR_TYPE, error.getClassName());
      setIfAbsent(builder, LogField.ERROR_MESSAGE, error.getMessage());
      if (includeStackTrace) {
        attr(builder, "stack_trace", ThrowableProxyUtil.asString(error));
      }
    }
  }

  private static <T> T orElse(T told, T fromRuntime, T unknown) {
    return told != null ? told : fromRuntime != null ? fromRuntime : unknown;
  }

  private static <E extends Enum<E>> E enumProperty(Class<E> type, String property) {
    String value = System.getProperty(property);
    return value == null || value.isBlank() ? null : Enum.valueOf(type, value.trim());
  }

  private static String firstNonNull(Map<String, String> map, String[] keys) {
    if (map == null) {
      return null;
    }
    for (String key : keys) {
      String value = map.get(key);
      if (value != null && !value.isEmpty()) {
        return value;
      }
    }
    return null;
  }

  private static void setIfAbsent(LogRecord.Builder builder, LogField field, Object value) {
    if (value != null && builder.get(field) == null) {
      builder.set(field, value);
    }
  }

  /**
   * Logback 1.3+ key-values. A class of its own so that Logback 1.2, which has neither the method
   * nor {@link KeyValuePair}, never loads it.
   */
  private static final class KeyValues {
    private KeyValues() {}

    /** Applies the event's key-values; true if one of them is the schema's {@code code}. */
    static boolean apply(ILoggingEvent event, LogRecord.Builder builder) {
      List<KeyValuePair> pairs = event.getKeyValuePairs();
      boolean hasCode = false;
      if (pairs != null) {
        for (KeyValuePair pair : pairs) {
          if (pair.key != null && pair.key.equals(LogField.CODE.key())) {
            hasCode = true;
          }
          StabilityJsonEncoder.apply(builder, pair.key, pair.value);
        }
      }
      return hasCode;
    }
  }

  private static void apply(LogRecord.Builder builder, String key, Object value) {
    if (key == null || value == null) {
      return;
    }
    if (key.startsWith("attrs.")) {
      attr(builder, key.substring("attrs.".length()), String.valueOf(value));
      return;
    }
    LogField field = LogField.forKey(key);
    if (field == null || field == LogField.ATTRS || field == LogField.MSG) {
      attr(builder, key, String.valueOf(value));
      return;
    }
    if (value instanceof TimestampValue ts && field == LogField.TS) {
      builder.set(field, ts.value()); // typed by the runtime: no parsing on the way back
      return;
    }
    try {
      Object typed =
          field.type().isInstance(value)
              ? value
              : value instanceof Number n && field.type() == Long.class
                  ? Long.valueOf(n.longValue())
                  : LogRecordFormat.convert(field, String.valueOf(value));
      builder.set(field, typed);
    } catch (IllegalArgumentException e) {
      // A key-value that looks like a schema field but is not a valid one stays visible as an
      // attribute instead of being dropped or breaking the line.
      attr(builder, key, String.valueOf(value));
    }
  }

  private static void attr(LogRecord.Builder builder, String key, String value) {
    if (key == null || value == null) {
      return;
    }
    String safe = LogRecord.isAttrKey(key) ? key : sanitize(key);
    builder.attr(safe, value);
  }

  private static String sanitize(String key) {
    StringBuilder out = new StringBuilder("k_");
    for (int i = 0; i < key.length() && out.length() < 64; i++) {
      char c = key.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '.'
              || c == '-';
      out.append(ok ? c : '_');
    }
    return out.toString();
  }

  private static Level toLevel(ch.qos.logback.classic.Level level) {
    return switch (level.toInt()) {
      case ch.qos.logback.classic.Level.ERROR_INT -> Level.ERROR;
      case ch.qos.logback.classic.Level.WARN_INT -> Level.WARN;
      case ch.qos.logback.classic.Level.INFO_INT -> Level.INFO;
      case ch.qos.logback.classic.Level.DEBUG_INT -> Level.DEBUG;
      default -> Level.TRACE;
    };
  }
}
