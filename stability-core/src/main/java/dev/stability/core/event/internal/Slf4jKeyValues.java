package dev.stability.core.event.internal;

import dev.stability.api.event.LogField;
import dev.stability.api.event.LogRecord;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * How a record becomes SLF4J key-values: every present field except {@code msg}, in schema order,
 * under its schema key; attributes as {@code attrs.<key>}; values typed (enums, {@code Long}, the
 * timestamp as a {@link TimestampValue}) so that each prints as its canonical text and the SDK's
 * own encoder needs no parsing. Internal; shared by the runtime's output and the benchmarks.
 */
public final class Slf4jKeyValues {

  private static final LogField[] FIELDS = LogField.values();

  private Slf4jKeyValues() {}

  /** Calls {@code sink} with each key-value of the record, in schema order. */
  public static void forEach(LogRecord record, BiConsumer<String, Object> sink) {
    for (LogField field : FIELDS) {
      if (field == LogField.MSG || !record.has(field)) {
        continue;
      }
      if (field == LogField.ATTRS) {
        for (Map.Entry<String, String> attr : record.attrs().entrySet()) {
          sink.accept("attrs." + attr.getKey(), attr.getValue());
        }
        continue;
      }
      Object value = record.get(field);
      sink.accept(field.key(), value instanceof OffsetDateTime ts ? new TimestampValue(ts) : value);
    }
  }
}
