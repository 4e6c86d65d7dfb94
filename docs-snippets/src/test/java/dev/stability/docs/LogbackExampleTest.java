package dev.stability.docs;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/logging.md's logback.xml configures the encoder and writes ordinary statements in schema.
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
}
