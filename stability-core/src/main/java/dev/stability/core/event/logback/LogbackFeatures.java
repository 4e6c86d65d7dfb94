package dev.stability.core.event.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * What the Logback on the class path offers beyond 1.2, found once: key-values on events ({@code
 * getKeyValuePairs}, 1.3+) and the event's {@code Instant} (1.3+). Internal to the encoder.
 */
final class LogbackFeatures {

  /** Events carry SLF4J 2.0 key-values. */
  static final boolean KEY_VALUES = has("getKeyValuePairs");

  /** Events carry an {@code Instant} with sub-millisecond precision. */
  static final boolean INSTANT = has("getInstant");

  private LogbackFeatures() {}

  private static boolean has(String method) {
    try {
      ILoggingEvent.class.getMethod(method);
      return true;
    } catch (NoSuchMethodException | LinkageError e) {
      return false;
    }
  }
}
