package dev.stability.compat.slf4j1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.event.LogField;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.health.HealthStatus;
import dev.stability.core.CapturingSink;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestIdentities;
import dev.stability.core.event.LogRecordFormat;
import dev.stability.core.event.SchemaValidator;
import dev.stability.core.fixtures.SampleEvents;
import dev.stability.core.guard.CircuitBreakerSettings;
import dev.stability.core.guard.Guard;
import dev.stability.core.guard.GuardSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The SDK on slf4j-api 1.7.36 and logback-classic 1.2.13, configured by a plain {@code
 * logback-test.xml} with the SDK's encoder: every event reaches the sinks and the Logback file, in
 * the schema, and nothing is dropped or reported as failed.
 */
class Slf4j1LogbackWorldTest {

  private static final String SLF4J = System.getProperty("compat.slf4j.version");

  private static final Path LOG = Path.of(System.getProperty("stability.compat.log"));

  /** The lines the Logback file holds for one instance, in order. */
  private static List<String> logbackLines(String instance) throws Exception {
    return Files.readAllLines(LOG, StandardCharsets.UTF_8).stream()
        .filter(line -> line.contains("\"instance\":\"" + instance + "\""))
        .toList();
  }

  @Test
  void theClassPathReallyHoldsSlf4j17AndLogback12() {
    assertThatThrownBy(
            () -> org.slf4j.Logger.class.getMethod("atLevel", org.slf4j.event.Level.class))
        .isInstanceOf(NoSuchMethodException.class);
    assertThat(LoggerFactory.getILoggerFactory().getClass().getName())
        .isEqualTo("ch.qos.logback.classic.LoggerContext");
    assertThatThrownBy(
            () -> ch.qos.logback.classic.spi.ILoggingEvent.class.getMethod("getKeyValuePairs"))
        .isInstanceOf(NoSuchMethodException.class);
  }

  @Test
  void everySdkEventCodeReachesTheSinkAndTheLogbackFileInTheSchemaWithNothingDropped()
      throws Exception {
    CapturingSink sink = new CapturingSink();
    StabilityRuntime runtime =
        StabilityRuntime.builder(TestIdentities.oms("every-code")).eventSink(sink).build();
    try {
      SampleEvents.publishEveryCode(runtime.events());
      assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(10))).isTrue();
      assertThat(runtime.health().check("events").status()).isEqualTo(HealthStatus.UP);
      assertThat(runtime.events().dropped()).isZero();
    } finally {
      runtime.close();
    }

    List<String> lines = logbackLines("every-code");
    assertThat(lines).containsExactlyElementsOf(sink.lines());
    for (String line : lines) {
      assertThat(SchemaValidator.validate(line)).as(line).isEmpty();
    }
    Set<String> written =
        lines.stream().map(line -> LogRecordFormat.parse(line).code()).collect(Collectors.toSet());
    Set<String> catalog =
        Arrays.stream(StabilityEventCode.values())
            .map(StabilityEventCode::code)
            .collect(Collectors.toSet());
    assertThat(written).isEqualTo(catalog);
    // Published once each by the test; any more would be the pipeline reporting its own trouble.
    assertThat(sink.withCode("EVENT_SINK_FAILED")).hasSize(1);
    assertThat(sink.withCode("EVENT_OUTPUT_DISABLED")).hasSize(1);
    assertThat(sink.withCode("EVENT_DISPATCHER_STOPPED")).hasSize(1);
  }

  @Test
  void runtimeStartedNamesTheOldWorld() throws Exception {
    CapturingSink sink = new CapturingSink();
    try (StabilityRuntime runtime =
        StabilityRuntime.builder(TestIdentities.oms("started")).eventSink(sink).build()) {
      assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();
    }
    LogRecord started = sink.withCode("RUNTIME_STARTED").get(0);
    assertThat(started.attrs())
        .containsEntry("slf4j_api", SLF4J + " (1.x API, MDC)")
        .containsEntry("logging_backend", "Logback " + System.getProperty("compat.logback.version"))
        .containsEntry("slf4j_provider", "ch.qos.logback.classic.LoggerContext");
    assertThat(logbackLines("started").get(0))
        .contains("\"slf4j_api\":\"" + SLF4J + " (1.x API, MDC)\"");
  }

  @Test
  void aBreakerThatOpensIsInTheLogbackFile() throws Exception {
    CapturingSink sink = new CapturingSink();
    try (StabilityRuntime runtime =
        StabilityRuntime.builder(TestIdentities.oms("breaker"))
            .eventSink(sink)
            .guard(
                GuardSettings.builder("clearing-link")
                    .circuitBreaker(
                        CircuitBreakerSettings.builder()
                            .slidingWindowSize(4)
                            .minimumNumberOfCalls(4)
                            .failureRateThreshold(50)
                            .build())
                    .build())
            .build()) {
      Guard guard = runtime.guards().guard("clearing-link");
      for (int i = 0; i < 4; i++) {
        assertThat(guard.call(() -> failClearing(), error -> "held")).isEqualTo("held");
      }
      assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();
    }
    List<LogRecord> written = logbackLines("breaker").stream().map(LogRecordFormat::parse).toList();
    assertThat(written)
        .filteredOn(r -> r.code().equals("GUARD_CIRCUIT_OPENED"))
        .singleElement()
        .satisfies(r -> assertThat(r.text(LogField.GUARD)).isEqualTo("clearing-link"));
    assertThat(written).extracting(LogRecord::code).doesNotContain("EVENT_SINK_FAILED");
  }

  private static String failClearing() {
    throw new IllegalStateException("clearing house refused");
  }

  @Test
  void ordinaryStatementsThroughTheSlf4j17ApiAreMappedIntoTheSchema() throws Exception {
    MDC.put("trace_id", "T-17");
    try {
      LoggerFactory.getLogger("com.example.oms.Gateway")
          .warn("order {} rejected", "O-17", new IllegalStateException("limit"));
    } finally {
      MDC.clear();
    }
    String line =
        Files.readAllLines(LOG, StandardCharsets.UTF_8).stream()
            .filter(l -> l.contains("\"seq\":\"T-17\""))
            .findFirst()
            .orElseThrow();
    assertThat(SchemaValidator.validate(line)).isEmpty();
    LogRecord record = LogRecordFormat.parse(line);
    assertThat(record.code()).isEqualTo("APP_LOG");
    assertThat(record.message()).isEqualTo("order O-17 rejected");
    assertThat(record.text(LogField.SYSTEM)).isEqualTo("OMS");
    assertThat(record.text(LogField.ERROR_TYPE)).isEqualTo("java.lang.IllegalStateException");
    assertThat(LogRecordFormat.formatTimestamp(record.timestamp())).endsWith("+08:00");
  }
}
