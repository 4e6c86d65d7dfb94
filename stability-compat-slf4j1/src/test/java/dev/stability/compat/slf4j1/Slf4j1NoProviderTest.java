package dev.stability.compat.slf4j1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stability.api.ServiceIdentity;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.health.HealthStatus;
import dev.stability.core.CapturingSink;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.health.CheckResult;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * SLF4J without any backend logs nowhere (NOP). The runtime must not pretend otherwise: it says so
 * in an event its sinks receive, and its {@code events} check is DEGRADED.
 */
class Slf4j1NoProviderTest {

  private static final String SLF4J = System.getProperty("compat.slf4j.version");

  @Test
  void withNoLoggingBackendTheSlf4jOutputIsReportedOffAndSinksStillGetEverything()
      throws Exception {
    assertThat(LoggerFactory.getILoggerFactory().getClass().getName())
        .isEqualTo("org.slf4j.helpers.NOPLoggerFactory");
    CapturingSink sink = new CapturingSink();
    ServiceIdentity identity =
        ServiceIdentity.builder().systemCode("OMS").subsystem("oe").instanceId("nop").build();
    try (StabilityRuntime runtime = StabilityRuntime.builder(identity).eventSink(sink).build()) {
      runtime.events().publish(StabilityEventCode.APP_LOG, "still delivered");
      assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();

      CheckResult events = runtime.health().check("events");
      assertThat(events.status()).isEqualTo(HealthStatus.DEGRADED);
      assertThat(events.reason()).contains("slf4j").contains("no logging provider");
    }
    assertThat(sink.withCode("EVENT_OUTPUT_DISABLED"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.attrs()).containsEntry("output", "slf4j");
              assertThat(r.message()).contains("slf4j-api " + SLF4J);
            });
    LogRecord started = sink.withCode("RUNTIME_STARTED").get(0);
    assertThat(started.attrs().get("logging_backend")).startsWith("none (NOP");
    assertThat(sink.withCode("APP_LOG")).hasSize(1);
  }
}
