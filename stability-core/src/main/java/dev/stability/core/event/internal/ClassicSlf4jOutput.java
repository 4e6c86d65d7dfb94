package dev.stability.core.event.internal;

import dev.stability.api.event.LogRecord;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.MDC;

/**
 * SLF4J 1.7 (from 1.7.25), using only its API: for the duration of the call every field is put in
 * the MDC under its schema key as its canonical text (so {@code %X{code}} patterns and Log4j2's
 * context data see it, as SLF4J 2.0 bindings show key-values), and the record itself travels in a
 * {@link RecordMarker}, which the SDK's Logback encoder writes as it is. The caller's MDC is
 * restored afterwards: records are written on a caller's thread after the runtime closed.
 */
final class ClassicSlf4jOutput extends Slf4jOutput {

  @Override
  void write(LogRecord record) {
    Logger logger = logger(record.category());
    if (!enabled(logger, record.level())) {
      return;
    }
    Map<String, String> previous = MDC.getCopyOfContextMap();
    try {
      Slf4jKeyValues.forEach(record, (key, value) -> MDC.put(key, String.valueOf(value)));
      RecordMarker marker = new RecordMarker(record);
      // "{}" with the message as its argument: braces or backslashes in it come out as written.
      switch (record.level()) {
        case TRACE -> logger.trace(marker, "{}", record.message());
        case DEBUG -> logger.debug(marker, "{}", record.message());
        case INFO -> logger.info(marker, "{}", record.message());
        case WARN -> logger.warn(marker, "{}", record.message());
        case ERROR -> logger.error(marker, "{}", record.message());
      }
    } finally {
      if (previous == null) {
        MDC.clear();
      } else {
        MDC.setContextMap(previous);
      }
    }
  }

  private static boolean enabled(Logger logger, dev.stability.api.event.Level level) {
    return switch (level) {
      case TRACE -> logger.isTraceEnabled();
      case DEBUG -> logger.isDebugEnabled();
      case INFO -> logger.isInfoEnabled();
      case WARN -> logger.isWarnEnabled();
      case ERROR -> logger.isErrorEnabled();
    };
  }
}
