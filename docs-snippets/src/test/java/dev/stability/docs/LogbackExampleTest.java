package dev.stability.docs;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import dev.stability.core.event.logback.StabilityJsonEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/logging.md's logback.xml, and the project template's (docs/getting-started.md), configure
 * the encoder and write ordinary statements in schema.
 */
class LogbackExampleTest {

  @Test
  void theDocumentedConfigurationWritesOrdinaryStatementsInTheSchema(@TempDir Path dir)
      throws Exception {
    LoggerContext context = new LoggerContext(); // its own, as SLF4J would make it at start
    context.setMDCAdapter(new LogbackMDCAdapter());
    context.putProperty("LOG_DIR", dir.toString());
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(LogbackExampleTest.class.getResource("/logback-example.xml"));
    try {
      context.getLogger("com.example.oms.OrderEntry").info("order {} accepted", "O-1");
    } finally {
      context.stop();
    }

    List<String> lines = Files.readAllLines(dir.resolve("oms.jsonl"), StandardCharsets.UTF_8);
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .contains("\"system\":\"OMS\"")
        .contains("\"instance\":\"oms-a1\"")
        .contains("\"site\":\"PRIMARY_DC\"")
        .contains("\"role\":\"PRIMARY\"")
        .contains("\"code\":\"APP_LOG\"")
        .contains("\"msg\":\"order O-1 accepted\"");
  }

  @Test
  void theTemplatesConfigurationWritesOrdinaryStatementsInTheSchemaToTheConsole() throws Exception {
    Path template =
        Path.of(
            "../stability-archetype/src/main/resources/archetype-resources/src/main/resources",
            "logback.xml");
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(template.toFile());
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    try {
      OutputStreamAppender<ILoggingEvent> appender =
          (OutputStreamAppender<ILoggingEvent>)
              context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("JSON");
      assertThat(appender.getEncoder()).isInstanceOf(StabilityJsonEncoder.class);
      appender.setOutputStream(console); // instead of System.out
      context.getLogger("com.example.oms.entry.Application").info("order {} sent", "O-1");
    } finally {
      context.stop();
    }

    assertThat(console.toString(StandardCharsets.UTF_8).lines())
        .singleElement()
        .asString()
        .startsWith("{\"ts\":")
        .contains("\"code\":\"APP_LOG\"")
        .contains("\"msg\":\"order O-1 sent\"");
  }
}
