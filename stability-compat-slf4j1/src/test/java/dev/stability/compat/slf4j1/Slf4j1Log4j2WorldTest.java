package dev.stability.compat.slf4j1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stability.api.ServiceIdentity;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.health.HealthStatus;
import dev.stability.core.CapturingSink;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestIdentities;
import dev.stability.core.event.SchemaValidator;
import dev.stability.core.fixtures.SampleEvents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.logging.log4j.LogManager;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The SDK on slf4j-api 1.7.36 and Log4j2 through its SLF4J 1 binding, configured by a plain {@code
 * log4j2-test.xml} with the SDK's JsonTemplateLayout template: the 1.7 output's MDC reaches Log4j's
 * context data as 2.0 key-values do, so every SDK line has the runtime's own fields.
 */
class Slf4j1Log4j2WorldTest {

  private static final String SLF4J = System.getProperty("compat.slf4j.version");

  private static final Path LOG = Path.of(System.getProperty("stability.compat.log"));
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theClassPathReallyHoldsSlf4j17AndTheLog4j2Binding() {
    assertThatThrownBy(
            () -> org.slf4j.Logger.class.getMethod("atLevel", org.slf4j.event.Level.class))
        .isInstanceOf(NoSuchMethodException.class);
    assertThat(LoggerFactory.getILoggerFactory().getClass().getName())
        .isEqualTo("org.apache.logging.slf4j.Log4jLoggerFactory");
  }

  @Test
  void everySdkEventCodeReachesTheLog4j2FileWithTheRuntimesFields() throws Exception {
    CapturingSink sink = new CapturingSink();
    ServiceIdentity identity = TestIdentities.oms("log4j2-every-code");
    try (StabilityRuntime runtime = StabilityRuntime.builder(identity).eventSink(sink).build()) {
      SampleEvents.publishEveryCode(runtime.events());
      assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(10))).isTrue();
      assertThat(runtime.health().check("events").status()).isEqualTo(HealthStatus.UP);
      assertThat(runtime.events().dropped()).isZero();
    }
    LogManager.shutdown(); // flushes and closes the file

    List<String> lines =
        Files.readAllLines(LOG, StandardCharsets.UTF_8).stream()
            .filter(line -> line.contains("\"instance\":\"log4j2-every-code\""))
            .toList();
    List<String> canonical = sink.lines();
    assertThat(lines).hasSameSizeAs(canonical);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      assertThat(SchemaValidator.validate(line)).as(line).isEmpty();
      ObjectNode actual = (ObjectNode) JSON.readTree(line);
      ObjectNode expected = (ObjectNode) JSON.readTree(canonical.get(i));
      assertThat(actual.get("logger").asText()).startsWith("stability.");
      actual.remove("logger"); // the template adds the Log4j logger name
      if (actual.path("attrs").isEmpty() && !expected.has("attrs")) {
        actual.remove("attrs"); // the template writes {} when a record has no attributes
      }
      assertThat(actual).as(line).isEqualTo(expected);
    }
    Set<String> written =
        lines.stream()
            .map(l -> l.replaceAll(".*\"code\":\"([A-Z_]+)\".*", "$1"))
            .collect(Collectors.toSet());
    assertThat(written)
        .isEqualTo(
            Arrays.stream(StabilityEventCode.values())
                .map(StabilityEventCode::code)
                .collect(Collectors.toSet()));
    LogRecord started = sink.withCode("RUNTIME_STARTED").get(0);
    assertThat(started.attrs().get("slf4j_api")).isEqualTo(SLF4J + " (1.x API, MDC)");
    assertThat(started.attrs().get("logging_backend")).startsWith("Log4j2 2.");
  }
}
