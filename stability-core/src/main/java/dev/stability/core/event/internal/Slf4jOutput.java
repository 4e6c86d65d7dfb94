package dev.stability.core.event.internal;

import dev.stability.api.event.Category;
import dev.stability.api.event.LogRecord;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Writes records to SLF4J as structured key-values: one logger per category ({@code
 * stability.operation}, ...), the message as the log message, every other present field as a
 * key-value with its schema key (attributes as {@code attrs.<key>}); values are typed and print as
 * their canonical text. Backends keep full control; the Logback encoder turns these back into the
 * canonical line.
 */
final class Slf4jOutput {

  private final Map<Category, Logger> loggers = new EnumMap<>(Category.class);

  Slf4jOutput() {
    for (Category category : Category.values()) {
      loggers.put(category, LoggerFactory.getLogger(category.loggerName()));
    }
  }

  void write(LogRecord record) {
    Logger logger = loggers.get(record.category());
    Level level = toSlf4j(record.level());
    if (!logger.isEnabledForLevel(level)) {
      return;
    }
    // The message is an argument, never a format pattern: "{}" or backslashes in it must come out
    // as written on every backend (Log4j rewrites escapes in patterns).
    LoggingEventBuilder event =
        logger.atLevel(level).setMessage("{}").addArgument(record.message());
    Slf4jKeyValues.forEach(record, event::addKeyValue);
    event.log();
  }

  static Level toSlf4j(dev.stability.api.event.Level level) {
    return switch (level) {
      case TRACE -> Level.TRACE;
      case DEBUG -> Level.DEBUG;
      case INFO -> Level.INFO;
      case WARN -> Level.WARN;
      case ERROR -> Level.ERROR;
    };
  }
}
