package dev.stability.spring.autoconfigure.internal;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.stability.api.ServiceIdentity;
import dev.stability.core.event.logback.StabilityJsonEncoder;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Puts the SDK's {@link StabilityJsonEncoder} on every output appender of Logback's root logger
 * (console and files), with the service's identity, and puts the previous encoders back when the
 * context closes. The encoder carries an MDC trace id ({@code traceId}, {@code trace_id}) into
 * {@code seq}.
 */
public final class LogbackJsonSwitch implements DisposableBean {

  private final Map<OutputStreamAppender<ILoggingEvent>, Encoder<ILoggingEvent>> previous =
      new IdentityHashMap<>();

  /** Switches the encoders now; does nothing when SLF4J is not bound to Logback. */
  public LogbackJsonSwitch(ServiceIdentity identity) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
        StabilityJsonEncoder encoder = new StabilityJsonEncoder();
        encoder.setContext(context);
        encoder.setSystem(identity.systemCode());
        encoder.setSubsystem(identity.subsystem());
        encoder.setInstance(identity.instanceId());
        encoder.setSite(identity.site().name());
        encoder.setRole(identity.role().name());
        encoder.start();
        previous.put(appender, appender.getEncoder());
        replace(appender, encoder);
      }
    }
  }

  /** The encoders this switch replaced, by appender. */
  public Map<OutputStreamAppender<ILoggingEvent>, Encoder<ILoggingEvent>> replaced() {
    return Map.copyOf(previous);
  }

  @Override
  public void destroy() {
    previous.forEach(LogbackJsonSwitch::replace);
    previous.clear();
  }

  private static void replace(
      OutputStreamAppender<ILoggingEvent> appender, Encoder<ILoggingEvent> encoder) {
    boolean started = appender.isStarted();
    appender.stop();
    appender.setEncoder(encoder);
    if (started) {
      appender.start();
    }
  }
}
