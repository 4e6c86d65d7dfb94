package dev.stability.testkit.members;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.ServiceIdentity;
import dev.stability.api.switchover.EndpointRegistry;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import dev.stability.core.switchover.EndpointRegistries;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Members on real TCP sessions, dropped by their gateway, back on the new one via the registry. */
class MemberSessionsTest {

  private static StabilityRuntime runtime() {
    return TestRuntimes.quiet(
            ServiceIdentity.builder()
                .systemCode("FUT")
                .subsystem("core")
                .instanceId("drill")
                .build())
        .build();
  }

  @Test
  void droppedMembersReconnectToTheNewPrimaryThroughTheRegistryAndTheSlowestIsTimed()
      throws Exception {
    EndpointRegistry registry = EndpointRegistries.inMemory();
    try (StabilityRuntime runtime = runtime();
        MemberGateway standby = MemberGateway.open(0)) {
      MemberGateway primary = MemberGateway.open(0);
      registry.publish("futures", primary.address(), 1);
      try (MemberSessions members =
          MemberSessions.start(
              runtime, "futures", 10, registry, primary.address(), standby.address())) {
        assertThat(members.awaitConnected(Duration.ofSeconds(10))).isEqualTo(10);
        assertThat(standby.sessions()).as("everyone found the primary first").isZero();

        members.switchStarted();
        registry.publish("futures", standby.address(), 2);
        primary.close(); // every session dropped

        assertThat(members.awaitReconnectedTo(standby.address(), Duration.ofSeconds(10)))
            .as(members.missing(standby.address()))
            .isEqualTo(10);
        assertThat(members.missing(standby.address())).isEmpty();
        assertThat(members.slowestReconnect()).isPositive().isLessThan(Duration.ofSeconds(10));
        assertThat(standby.sessions()).isEqualTo(10);
      }
    }
  }

  @Test
  void membersNotBackAreNamedWithWhereTheyAre() throws Exception {
    try (StabilityRuntime runtime = runtime();
        MemberGateway primary = MemberGateway.open(0);
        MemberSessions members =
            MemberSessions.start(runtime, "futures", 2, null, primary.address())) {
      assertThat(members.awaitConnected(Duration.ofSeconds(10))).isEqualTo(2);
      members.switchStarted();
      assertThat(members.awaitReconnectedTo("127.0.0.1:1", Duration.ofMillis(100))).isZero();
      assertThat(members.missing("127.0.0.1:1"))
          .contains("member 0 at " + primary.address())
          .contains("member 1 at " + primary.address());
    }
  }

  @Test
  void badCountsAndNoAddressAreRefused() {
    try (StabilityRuntime runtime = runtime()) {
      assertThatThrownBy(() -> MemberSessions.start(runtime, "futures", 0, null, "127.0.0.1:1"))
          .hasMessage("members: from 1 to 10000, not 0");
      assertThatThrownBy(() -> MemberSessions.start(runtime, "futures", 1, null))
          .hasMessage("members need at least one pre-registered address");
    }
  }
}
