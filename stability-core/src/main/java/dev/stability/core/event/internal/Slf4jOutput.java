package dev.stability.core.event.internal;

import dev.stability.api.event.Category;
import dev.stability.api.event.LogRecord;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes records to SLF4J: one logger per category ({@code stability.operation}, ...), the message
 * as the log message, every other present field under its schema key (attributes as {@code
 * attrs.<key>}). Two forms, chosen once by what the class path holds: {@link FluentSlf4jOutput}
 * with SLF4J 2.0's key-values, {@link ClassicSlf4jOutput} with the 1.7 API only (MDC). Neither
 * class touches an API the other world lacks, so a 1.7 {@code slf4j-api} never meets a 2.0 call.
 */
abstract class Slf4jOutput {

  private final Map<Category, Logger> loggers = new EnumMap<>(Category.class);

  Slf4jOutput() {
    for (Category category : Category.values()) {
      loggers.put(category, LoggerFactory.getLogger(category.loggerName()));
    }
  }

  /** The output for the {@code slf4j-api} on the class path. */
  static Slf4jOutput create(boolean fluentApi) {
    return fluentApi ? new FluentSlf4jOutput() : new ClassicSlf4jOutput();
  }

  final Logger logger(Category category) {
    return loggers.get(category);
  }

  /** Writes one stamped, masked record; throws whatever the backend throws. */
  abstract void write(LogRecord record);
}
