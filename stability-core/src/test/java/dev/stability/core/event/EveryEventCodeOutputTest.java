package dev.stability.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.core.CapturingSink;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestIdentities;
import dev.stability.core.fixtures.SampleEvents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EveryEventCodeOutputTest {

  @Test
  void everySdkCodeRendersALineThatValidatesAgainstThePublishedSchema() throws Exception {
    CapturingSink sink = new CapturingSink();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (StabilityRuntime runtime =
        StabilityRuntime.builder(TestIdentities.oms("a1"))
            .meterRegistry(registry)
            .eventSink(sink)
            .build()) {
      SampleEvents.publishEveryCode(runtime.events());
      assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(10))).isTrue();

      for (StabilityEventCode code : StabilityEventCode.values()) {
        double count = registry.get("stability.events").tag("code", code.code()).counter().count();
        double expected = code == StabilityEventCode.RUNTIME_STARTED ? 2 : 1;
        assertThat(count).as("stability.events for " + code).isEqualTo(expected);
      }
    }

    for (String line : sink.lines()) {
      assertThat(SchemaValidator.validate(line)).as(line).isEmpty();
      assertThat(line).doesNotContain("\n").doesNotContain("\r");
    }
    Set<String> emitted = sink.records().stream().map(LogRecord::code).collect(Collectors.toSet());
    Set<String> catalog = new HashSet<>();
    Arrays.stream(StabilityEventCode.values()).forEach(c -> catalog.add(c.code()));
    assertThat(emitted).isEqualTo(catalog);
  }
}
