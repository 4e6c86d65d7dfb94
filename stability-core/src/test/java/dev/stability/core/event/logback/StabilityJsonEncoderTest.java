package dev.stability.core.event.logback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.LoggerContext;
import dev.stability.api.Role;
import dev.stability.api.ServiceIdentity;
import dev.stability.api.Site;
import dev.stability.api.event.Category;
import dev.stability.api.event.LogField;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.Outcome;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.core.CapturingSink;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestIdentities;
import dev.stability.core.TestRuntimes;
import dev.stability.core.event.LogRecordFormat;
import dev.stability.core.event.SchemaValidator;
import dev.stability.core.internal.LiveRuntimes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class StabilityJsonEncoderTest {

  @TempDir Path dir;

  @Test
  void sdkRecordsComeOutOfLogbackExactlyAsTheRuntimeRenderedThem() throws Exception {
    Path file = dir.resolve("events.log");
    CapturingSink sink = new CapturingSink();
    try (LogbackFiles ignored = new LogbackFiles(file, "stability");
        StabilityRuntime runtime =
            StabilityRuntime.builder(TestIdentities.oms("a1")).eventSink(sink).build()) {
      runtime
          .events()
          .publish(
              LogRecord.builder(StabilityEventCode.GUARD_CIRCUIT_OPENED)
                  .guard("exchange-link")
                  .message("circuit opened: 50% failures\nsecond line \"quoted\" 中文")
                  .epoch(2)
                  .attr("failure_rate", "50.0"));
      runtime
          .events()
          .publish(
              LogRecord.builder(StabilityEventCode.APP_INTERFACE_CALL)
                  .interfaceId("risk.check")
                  .peer("RISK")
                  .seq("S-20261124-000001")
                  .durationMicros(120)
                  .outcome(Outcome.SUCCESS)
                  .account("6222021234567890"));
      runtime.events().awaitDelivery(Duration.ofSeconds(5));
    }

    List<String> fromLogback = Files.readAllLines(file, StandardCharsets.US_ASCII);
    assertThat(fromLogback).containsExactlyElementsOf(sink.lines());
    assertThat(fromLogback).hasSize(4); // started, two records, stopped
    for (String line : fromLogback) {
      assertThat(SchemaValidator.validate(line)).as(line).isEmpty();
    }
    assertThat(fromLogback.get(2)).contains("\"account\":\"************7890\"");
  }

  @Test
  void ordinaryStatementsAreMappedIntoTheSchemaWithExceptionAndMdc() throws Exception {
    Path file = dir.resolve("app.log");
    try (LogbackFiles ignored = new LogbackFiles(file, "com.example.oms")) {
      MDC.put("trace_id", "T-42");
      try {
        LoggerFactory.getLogger("com.example.oms.Gateway")
            .atWarn()
            .setMessage("order {} rejected for client 13800138000")
            .addArgument("O-9")
            .addKeyValue("order", "O-9")
            .addKeyValue("venue", "CFFEX")
            .setCause(new IllegalStateException("limit"))
            .log();
      } finally {
        MDC.clear();
      }
    }

    List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    assertThat(lines).hasSize(1);
    assertThat(SchemaValidator.validate(lines.get(0))).isEmpty();
    LogRecord record = LogRecordFormat.parse(lines.get(0));
    assertThat(record.code()).isEqualTo("APP_LOG");
    assertThat(record.category()).isEqualTo(Category.SYSTEM);
    assertThat(record.level().name()).isEqualTo("WARN");
    assertThat(record.seq()).isEqualTo("T-42");
    assertThat(record.text(LogField.SYSTEM)).isEqualTo("OMS");
    assertThat(record.text(LogField.LOGGER)).isEqualTo("com.example.oms.Gateway");
    assertThat(record.text(LogField.ORDER)).isEqualTo("O-9");
    assertThat(record.message()).isEqualTo("order O-9 rejected for client *******8000");
    assertThat(record.text(LogField.ERROR_TYPE)).isEqualTo("java.lang.IllegalStateException");
    assertThat(record.attrs()).containsEntry("venue", "CFFEX").containsEntry("trace_id", "T-42");
    assertThat(record.attrs().get("stack_trace")).contains("IllegalStateException: limit");
    assertThat(LogRecordFormat.formatTimestamp(record.timestamp())).endsWith("+08:00");
  }

  @Test
  void malformedKeyValuesAreKeptAsAttributesAndNeverBreakTheLine() throws Exception {
    Path file = dir.resolve("odd.log");
    try (LogbackFiles ignored = new LogbackFiles(file, "com.example.odd")) {
      LoggerFactory.getLogger("com.example.odd")
          .atInfo()
          .setMessage("odd key-values")
          .addKeyValue("duration_us", "twelve")
          .addKeyValue("bad key/with:chars", "v1")
          .addKeyValue("outcome", "MAYBE")
          .log();
    }

    List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    assertThat(lines).hasSize(1);
    assertThat(SchemaValidator.validate(lines.get(0))).isEmpty();
    LogRecord record = LogRecordFormat.parse(lines.get(0));
    assertThat(record.has(LogField.DURATION_US)).isFalse();
    assertThat(record.attrs())
        .containsEntry("duration_us", "twelve")
        .containsEntry("outcome", "MAYBE")
        .containsEntry("k_bad_key_with_chars", "v1");
  }

  private static LogRecord ordinary(StabilityJsonEncoder encoder) {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    ch.qos.logback.classic.spi.LoggingEvent event =
        new ch.qos.logback.classic.spi.LoggingEvent(
            StabilityJsonEncoderTest.class.getName(),
            context.getLogger("com.example.oms.Gateway"),
            ch.qos.logback.classic.Level.INFO,
            "gateway up",
            null,
            null);
    return encoder.toRecord(event);
  }

  @Test
  void aProcessThatDidNotSayWhoItIsIsWrittenAsUnknownNeverAsThePrimary() {
    try (StabilityRuntime one = TestRuntimes.quiet("a1").build();
        StabilityRuntime other = TestRuntimes.quiet("b1").build()) {
      // two runtimes: neither is "the" process's identity
      LogRecord record = ordinary(new StabilityJsonEncoder());
      assertThat(record.text(LogField.SYSTEM)).isEqualTo("unknown");
      assertThat(record.text(LogField.INSTANCE)).isEqualTo("unknown");
      assertThat(record.text(LogField.SITE)).isEqualTo("UNKNOWN");
      assertThat(record.text(LogField.ROLE)).isEqualTo("UNKNOWN");
      assertThat(SchemaValidator.validate(LogRecordFormat.toJson(record))).isEmpty();
    }
  }

  @Test
  void theProcesssOneRunningRuntimeStampsItsIdentityAndRoleOnOrdinaryStatements() {
    try (StabilityRuntime standby =
        TestRuntimes.quiet(
                ServiceIdentity.builder()
                    .systemCode("OMS")
                    .subsystem("order-entry")
                    .instanceId("oms-b1")
                    .site(Site.SAME_CITY_DR)
                    .role(Role.STANDBY)
                    .build())
            .build()) {
      assertThat(LiveRuntimes.only())
          .as("another test left a runtime open: it would stamp this line")
          .isSameAs(standby);
      LogRecord record = ordinary(new StabilityJsonEncoder());
      assertThat(record.text(LogField.SYSTEM)).isEqualTo("OMS");
      assertThat(record.text(LogField.INSTANCE)).isEqualTo("oms-b1");
      assertThat(record.text(LogField.SITE)).isEqualTo("SAME_CITY_DR");
      assertThat(record.text(LogField.ROLE)).isEqualTo("STANDBY");

      StabilityJsonEncoder told = new StabilityJsonEncoder();
      told.setRole("PRIMARY");
      told.setInstance("oms-a1");
      LogRecord overridden = ordinary(told);
      assertThat(overridden.text(LogField.ROLE))
          .as("what the encoder is told wins")
          .isEqualTo("PRIMARY");
      assertThat(overridden.text(LogField.INSTANCE)).isEqualTo("oms-a1");
      assertThat(overridden.text(LogField.SITE)).isEqualTo("SAME_CITY_DR");
    }
    assertThat(LiveRuntimes.only()).isNull();
  }

  @Test
  void anIdentityCannotClaimAnUnknownSiteOrRole() {
    assertThatThrownBy(
            () ->
                ServiceIdentity.builder()
                    .systemCode("OMS")
                    .subsystem("oe")
                    .instanceId("a1")
                    .site(Site.UNKNOWN)
                    .build())
        .hasMessage("ServiceIdentity.site = UNKNOWN: must be where the instance runs, not UNKNOWN");
    assertThatThrownBy(
            () ->
                ServiceIdentity.builder()
                    .systemCode("OMS")
                    .subsystem("oe")
                    .instanceId("a1")
                    .role(Role.UNKNOWN)
                    .build())
        .hasMessage("ServiceIdentity.role = UNKNOWN: must be PRIMARY or STANDBY, not UNKNOWN");
  }
}
