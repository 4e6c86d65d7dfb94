package dev.stability.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stability.api.ServiceIdentity;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RecordingEventSinkTest {

  private static StabilityRuntime runtime(RecordingEventSink sink) {
    return TestRuntimes.quiet(
            ServiceIdentity.builder().systemCode("OMS").subsystem("s").instanceId("t1").build())
        .eventSink(sink)
        .build();
  }

  @Test
  void awaitReturnsARecordPublishedFromAnotherThread() throws Exception {
    RecordingEventSink sink = new RecordingEventSink();
    try (StabilityRuntime runtime = runtime(sink)) {
      Thread publisher =
          new Thread(
              () -> runtime.events().publish(StabilityEventCode.GUARD_CIRCUIT_OPENED, "opened"));
      publisher.start();

      assertThat(sink.await(StabilityEventCode.GUARD_CIRCUIT_OPENED, Duration.ofSeconds(5)))
          .hasValueSatisfying(r -> assertThat(r.message()).isEqualTo("opened"));
      publisher.join();
    }
    assertThat(sink.lines()).hasSameSizeAs(sink.records());
  }

  @Test
  void awaitGivesUpAfterTheTimeoutWhenNothingMatches() throws Exception {
    RecordingEventSink sink = new RecordingEventSink();
    try (StabilityRuntime runtime = runtime(sink)) {
      runtime.events().publish(StabilityEventCode.APP_LOG, "other");

      assertThat(sink.await(StabilityEventCode.GUARD_CIRCUIT_OPENED, Duration.ofMillis(200)))
          .isEmpty();
      assertThat(sink.records(StabilityEventCode.APP_LOG)).hasSize(1);
    }
  }
}
