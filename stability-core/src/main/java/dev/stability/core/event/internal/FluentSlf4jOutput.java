package dev.stability.core.event.internal;

import dev.stability.api.event.LogRecord;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * SLF4J 2.0: every field is a typed key-value on the event ({@link Slf4jKeyValues}), which backends
 * keep as structured data and the SDK's Logback encoder turns back into the canonical line. Loaded
 * only when the class path's {@code slf4j-api} has the fluent API.
 */
final class FluentSlf4jOutput extends Slf4jOutput {

  @Override
  void write(LogRecord record) {
    Logger logger = logger(record.category());
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
