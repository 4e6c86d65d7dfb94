package dev.stability.core.event.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.stability.api.event.LogRecord;
import dev.stability.core.CapturingSink;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import dev.stability.core.event.LogRecordFormat;
import dev.stability.core.event.logback.LogbackFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The SLF4J 1.7 form of the output, run here on SLF4J 2.0 + Logback 1.5 (the 1.7 API is a subset);
 * the module stability-compat-slf4j1 runs it on the real 1.7 + Logback 1.2.
 */
class ClassicSlf4jOutputTest {

  @TempDir Path dir;

  private static LogRecord stampedRecord() throws InterruptedException {
    CapturingSink sink = new CapturingSink();
    try (StabilityRuntime runtime = TestRuntimes.quiet("a1").eventSink(sink).build()) {
      runtime.events().awaitDelivery(Duration.ofSeconds(5));
    }
    return sink.withCode("RUNTIME_STARTED").get(0);
  }

  @Test
  void theEncoderWritesTheRecordItCarriesExactlyAsRendered() throws Exception {
    LogRecord record = stampedRecord();
    Path file = dir.resolve("classic.log");
    try (LogbackFiles ignored = new LogbackFiles(file, "stability")) {
      new ClassicSlf4jOutput().write(record);
    }
    assertThat(Files.readAllLines(file, StandardCharsets.US_ASCII))
        .containsExactly(LogRecordFormat.toJson(record));
  }

  @Test
  void fieldsAreInTheMdcDuringTheCallAndTheCallersMdcIsRestored() throws Exception {
    LogRecord record = stampedRecord();
    Logger logger = (Logger) LoggerFactory.getLogger("stability.system");
    ListAppender<ILoggingEvent> list =
        new ListAppender<>() {
          @Override
          protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing(); // takes the MDC now, as AsyncAppender does
            super.append(event);
          }
        };
    list.start();
    logger.addAppender(list);
    logger.setLevel(ch.qos.logback.classic.Level.INFO);
    MDC.put("trace_id", "T-1");
    try {
      new ClassicSlf4jOutput().write(record);
      assertThat(MDC.getCopyOfContextMap()).isEqualTo(Map.of("trace_id", "T-1"));
    } finally {
      MDC.clear();
      logger.detachAppender(list);
      logger.setLevel(null);
    }
    List<ILoggingEvent> events = list.list;
    assertThat(events).hasSize(1);
    ILoggingEvent event = events.get(0);
    assertThat(event.getFormattedMessage()).isEqualTo(record.message());
    assertThat(event.getMDCPropertyMap())
        .containsEntry("code", "RUNTIME_STARTED")
        .containsEntry("system", "OMS")
        .containsEntry("ts", LogRecordFormat.formatTimestamp(record.timestamp()))
        .containsEntry("attrs.sdk_version", "0.1.0-SNAPSHOT")
        .doesNotContainKey("msg");
  }

  @Test
  void aMessageWithBracesComesOutAsWritten() throws Exception {
    LogRecord record = stampedRecord().toBuilder().message("limit {} and \\ slash").build();
    Path file = dir.resolve("braces.log");
    try (LogbackFiles ignored = new LogbackFiles(file, "stability")) {
      new ClassicSlf4jOutput().write(record);
    }
    assertThat(LogRecordFormat.parse(Files.readAllLines(file).get(0)).message())
        .isEqualTo("limit {} and \\ slash");
  }
}
