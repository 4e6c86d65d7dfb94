package dev.stability.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.ConfigurationException;
import dev.stability.api.Role;
import dev.stability.api.event.Category;
import dev.stability.api.event.EventCode;
import dev.stability.api.event.Level;
import dev.stability.api.event.LogField;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.Outcome;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.metric.StabilityMetric;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StabilityRuntimeTest {

  enum OrderCodes implements EventCode.OfEnum {
    ORDER_REJECTED(Category.BUSINESS, Level.WARN, "An order was rejected by the risk check.");

    private final Spec spec;

    OrderCodes(Category category, Level level, String meaning) {
      this.spec = new Spec(category, level, meaning);
    }

    @Override
    public Spec spec() {
      return spec;
    }
  }

  private static final Clock FIXED =
      Clock.fixed(Instant.parse("2026-11-24T01:30:00.123456Z"), ZoneId.of("Asia/Shanghai"));

  @Test
  void stampsIdentityRoleTimeThreadAndSerialOnEveryRecord() throws Exception {
    CapturingSink sink = new CapturingSink();
    try (StabilityRuntime runtime =
        StabilityRuntime.builder(TestIdentities.oms("a1")).clock(FIXED).eventSink(sink).build()) {
      runtime.events().publish(LogRecord.builder(StabilityEventCode.APP_BUSINESS).message("hello"));
      runtime.events().awaitDelivery(Duration.ofSeconds(5));
    }

    LogRecord record = sink.withCode("APP_BUSINESS").get(0);
    assertThat(record.missingRequired()).isEmpty();
    assertThat(LogRecordFormatAccess.ts(record)).isEqualTo("2026-11-24T09:30:00.123456+08:00");
    assertThat(record.text(LogField.SYSTEM)).isEqualTo("OMS");
    assertThat(record.text(LogField.SUBSYSTEM)).isEqualTo("order-entry");
    assertThat(record.text(LogField.INSTANCE)).isEqualTo("a1");
    assertThat(record.get(LogField.ROLE)).isEqualTo(Role.PRIMARY);
    assertThat(record.text(LogField.THREAD)).isEqualTo(Thread.currentThread().getName());
    assertThat(record.seq()).startsWith("a1-");
    List<String> serials = sink.records().stream().map(LogRecord::seq).toList();
    assertThat(serials).doesNotHaveDuplicates();
  }

  @Test
  void twoRuntimesInOneJvmShareNothing() throws Exception {
    SimpleMeterRegistry shared = new SimpleMeterRegistry();
    CapturingSink sinkA = new CapturingSink();
    CapturingSink sinkB = new CapturingSink();
    try (StabilityRuntime a =
            StabilityRuntime.builder(TestIdentities.oms("a1"))
                .meterRegistry(shared)
                .eventSink(sinkA)
                .build();
        StabilityRuntime b =
            StabilityRuntime.builder(TestIdentities.oms("b1"))
                .meterRegistry(shared)
                .eventSink(sinkB)
                .build()) {
      a.events().publish(StabilityEventCode.APP_LOG, "only a");
      a.events().awaitDelivery(Duration.ofSeconds(5));
      b.events().awaitDelivery(Duration.ofSeconds(5));

      assertThat(sinkA.withCode("APP_LOG")).hasSize(1);
      assertThat(sinkB.withCode("APP_LOG")).isEmpty();
      assertThat(
              shared
                  .get("stability.events")
                  .tag("instance", "a1")
                  .tag("code", "APP_LOG")
                  .counter()
                  .count())
          .isEqualTo(1);
      assertThat(
              shared
                  .find("stability.events")
                  .tag("instance", "b1")
                  .tag("code", "APP_LOG")
                  .counter())
          .isNull();
    }
  }

  @Test
  void closeDeliversPendingEventsAndRemovesOnlyItsOwnMeters() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    registry.counter("app.orders").increment();
    CapturingSink sink = new CapturingSink();
    StabilityRuntime runtime =
        StabilityRuntime.builder(TestIdentities.oms("a1"))
            .meterRegistry(registry)
            .eventSink(sink)
            .build();
    for (int i = 0; i < 1000; i++) {
      runtime.events().publish(StabilityEventCode.APP_LOG, "n" + i);
    }

    runtime.close();

    assertThat(sink.withCode("APP_LOG")).hasSize(1000);
    assertThat(sink.withCode("RUNTIME_STOPPED")).hasSize(1);
    assertThat(registry.getMeters())
        .extracting(m -> m.getId().getName())
        .containsExactly("app.orders");
    assertThat(runtime.isClosed()).isTrue();
  }

  @Test
  void recordsPublishedAfterCloseAreStillWritten() {
    CapturingSink sink = new CapturingSink();
    StabilityRuntime runtime =
        StabilityRuntime.builder(TestIdentities.oms("a1")).eventSink(sink).build();
    runtime.close();

    runtime.events().publish(StabilityEventCode.APP_LOG, "late");

    assertThat(sink.withCode("APP_LOG")).extracting(LogRecord::message).containsExactly("late");
  }

  @Test
  void everyMeterTheRuntimeRegistersIsInTheCatalog() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (StabilityRuntime runtime =
        StabilityRuntime.builder(TestIdentities.oms("a1")).meterRegistry(registry).build()) {
      runtime.events().publish(StabilityEventCode.GUARD_CIRCUIT_OPENED, "x");
      runtime.events().awaitDelivery(Duration.ofSeconds(5));

      Set<String> catalog =
          Arrays.stream(StabilityMetric.values())
              .map(StabilityMetric::metricName)
              .collect(Collectors.toSet());
      assertThat(registry.getMeters()).isNotEmpty();
      for (Meter meter : registry.getMeters()) {
        assertThat(catalog).as("catalog has " + meter.getId()).contains(meter.getId().getName());
        assertThat(meter.getId().getTag("system")).isEqualTo("OMS");
        assertThat(meter.getId().getTag("instance")).isEqualTo("a1");
      }
    }
  }

  @Test
  void applicationCodesAreRegisteredAndUnknownCodesAreReportedButStillWritten() throws Exception {
    EventCode stray =
        new EventCode() {
          @Override
          public String code() {
            return "STRAY_CODE";
          }

          @Override
          public Category category() {
            return Category.BUSINESS;
          }

          @Override
          public Level level() {
            return Level.INFO;
          }

          @Override
          public String meaning() {
            return "Not registered.";
          }
        };
    CapturingSink sink = new CapturingSink();
    try (StabilityRuntime runtime =
        StabilityRuntime.builder(TestIdentities.oms("a1"))
            .eventCodes(OrderCodes.class)
            .eventSink(sink)
            .build()) {
      runtime.events().publish(LogRecord.builder(OrderCodes.ORDER_REJECTED).order("O-1"));
      runtime.events().publish(LogRecord.builder(stray).message("first"));
      runtime.events().publish(LogRecord.builder(stray).message("second"));
      runtime.events().awaitDelivery(Duration.ofSeconds(5));

      assertThat(runtime.events().catalog()).contains(OrderCodes.ORDER_REJECTED);
    }

    LogRecord rejected = sink.withCode("ORDER_REJECTED").get(0);
    assertThat(rejected.message()).isEqualTo("An order was rejected by the risk check.");
    assertThat(sink.withCode("STRAY_CODE")).hasSize(2);
    assertThat(sink.withCode("EVENT_CODE_UNKNOWN"))
        .singleElement()
        .satisfies(r -> assertThat(r.attrs()).containsEntry("unknown_code", "STRAY_CODE"));
    assertThat(sink.withCode("EVENT_CODE_UNKNOWN")).hasSize(1);
  }

  @Test
  void applicationCodeClashingWithAnSdkCodeFailsAtBuildTime() {
    EventCode clash =
        new EventCode() {
          @Override
          public String code() {
            return "RUNTIME_STARTED";
          }

          @Override
          public Category category() {
            return Category.SYSTEM;
          }

          @Override
          public Level level() {
            return Level.INFO;
          }

          @Override
          public String meaning() {
            return "Clash.";
          }
        };

    assertThatThrownBy(
            () -> StabilityRuntime.builder(TestIdentities.oms("a1")).eventCodes(List.of(clash)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "StabilityRuntime.eventCodes = 'RUNTIME_STARTED': must not reuse a code of the SDK"
                + " catalog (StabilityEventCode)");
  }

  @Test
  void badBuilderSettingsNameKeyValueAndRule() {
    assertThatThrownBy(() -> StabilityRuntime.builder(null))
        .hasMessage("StabilityRuntime.identity = null: must be set");
    assertThatThrownBy(
            () -> StabilityRuntime.builder(TestIdentities.oms("a1")).eventQueueCapacity(1))
        .hasMessage("StabilityRuntime.eventQueueCapacity = 1: must be 16..16777216");
  }

  @Test
  void interfaceRecordWithoutDurationOrOutcomeIsRefusedNamingTheFields() {
    try (StabilityRuntime runtime = StabilityRuntime.builder(TestIdentities.oms("a1")).build()) {
      assertThatThrownBy(
              () ->
                  runtime
                      .events()
                      .publish(
                          LogRecord.builder(StabilityEventCode.APP_INTERFACE_CALL)
                              .interfaceId("risk")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[duration_us, outcome]")
          .hasMessageContaining("R17");
      runtime
          .events()
          .publish(
              LogRecord.builder(StabilityEventCode.APP_INTERFACE_CALL)
                  .interfaceId("risk")
                  .durationMicros(5)
                  .outcome(Outcome.SUCCESS));
    }
  }

  @Test
  void failingSinkIsReportedAndDoesNotStopOtherSinks() throws Exception {
    CapturingSink good = new CapturingSink();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (StabilityRuntime runtime =
        StabilityRuntime.builder(TestIdentities.oms("a1"))
            .meterRegistry(registry)
            .eventSink(
                (record, line) -> {
                  if (record.code().equals("APP_LOG")) {
                    throw new IllegalStateException("disk full");
                  }
                })
            .eventSink(good)
            .build()) {
      runtime.events().publish(StabilityEventCode.APP_LOG, "x");
      runtime.events().awaitDelivery(Duration.ofSeconds(5));

      assertThat(good.withCode("APP_LOG")).hasSize(1);
      assertThat(good.withCode("EVENT_SINK_FAILED"))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.text(LogField.ERROR_MESSAGE)).isEqualTo("disk full");
                assertThat(r.attrs()).containsEntry("failed_code", "APP_LOG");
              });
      assertThat(registry.get("stability.event.sink.failures").counter().count()).isEqualTo(1);
    }
  }

  @Test
  void fullQueueDropsAreCountedAndReportedNotSilent() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CapturingSink sink = new CapturingSink();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (StabilityRuntime runtime =
        StabilityRuntime.builder(TestIdentities.oms("a1"))
            .meterRegistry(registry)
            .eventQueueCapacity(16)
            .eventSink(
                (record, line) -> {
                  try {
                    release.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                })
            .eventSink(sink)
            .build()) {
      for (int i = 0; i < 100; i++) {
        runtime.events().publish(StabilityEventCode.APP_LOG, "n" + i);
      }
      long dropped = runtime.events().dropped();
      release.countDown();
      runtime.events().awaitDelivery(Duration.ofSeconds(5));

      assertThat(dropped).isGreaterThan(0);
      long delivered = sink.withCode("APP_LOG").size();
      assertThat(delivered + dropped).isEqualTo(100);
      assertThat(registry.get("stability.events.dropped").counter().count()).isEqualTo(dropped);
      long reported =
          sink.withCode("EVENTS_DROPPED").stream()
              .mapToLong(r -> Long.parseLong(r.attrs().get("dropped")))
              .sum();
      assertThat(reported).isEqualTo(dropped);
    }
  }
}
