package dev.stability.core.event.logback;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/** Attaches a real file appender with the encoder to named loggers, and detaches it. */
public final class LogbackFiles implements AutoCloseable {
  private final FileAppender<ILoggingEvent> appender = new FileAppender<>();
  private final Logger[] loggers;

  public LogbackFiles(Path file, String... loggerNames) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    StabilityJsonEncoder encoder = new StabilityJsonEncoder();
    encoder.setSystem("OMS");
    encoder.setInstance("a1");
    encoder.setZone("Asia/Shanghai");
    encoder.setContext(context);
    encoder.start();
    appender.setContext(context);
    appender.setName("file-" + file.getFileName());
    appender.setFile(file.toString());
    appender.setEncoder(encoder);
    appender.setImmediateFlush(false);
    appender.start();
    loggers = new Logger[loggerNames.length];
    for (int i = 0; i < loggerNames.length; i++) {
      Logger logger = context.getLogger(loggerNames[i]);
      logger.setLevel(ch.qos.logback.classic.Level.TRACE);
      logger.setAdditive(false);
      logger.addAppender(appender);
      loggers[i] = logger;
    }
  }

  @Override
  public void close() {
    for (Logger logger : loggers) {
      logger.detachAppender(appender);
      logger.setLevel(null);
    }
    appender.stop();
  }
}
