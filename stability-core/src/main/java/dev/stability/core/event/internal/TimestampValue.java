package dev.stability.core.event.internal;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.stability.core.event.LogRecordFormat;
import java.time.OffsetDateTime;

/**
 * The {@code ts} key-value the runtime hands to SLF4J: prints as the canonical timestamp text for
 * any backend (and as a JSON string for Jackson-based encoders such as logstash-logback-encoder),
 * and gives the SDK's own encoder the typed value without parsing. Immutable.
 *
 * @param value the record's timestamp
 */
public record TimestampValue(OffsetDateTime value) {

  @JsonValue
  @Override
  public String toString() {
    return LogRecordFormat.formatTimestamp(value);
  }
}
