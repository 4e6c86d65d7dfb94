package dev.stability.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server the demo embeds: a lease and the name service work on it; a bad tick is refused. */
class EmbeddedZooKeeperTest {

  @TempDir Path dir;

  @Test
  void aLeaseIsGrantedAndTheRegistryReadOnTheEmbeddedServer() throws Exception {
    try (EmbeddedZooKeeper server = EmbeddedZooKeeper.start(dir, Duration.ofMillis(200));
        StabilityRuntime runtime = TestRuntimes.quiet("fut-a1").build();
        ZooKeeperConnection connection =
            ZooKeeperConnection.start(
                ZooKeeperSettings.builder(server.connectString())
                    .sessionTimeout(Duration.ofSeconds(2))
                    .build());
        ZooKeeperRoleLease lease =
            ZooKeeperRoleLease.open(runtime, connection, RoleLeaseSettings.of("FUT", "fut-a1"));
        ZooKeeperEndpointRegistry registry = ZooKeeperEndpointRegistry.open(connection)) {
      assertThat(server.connectString()).startsWith("127.0.0.1:");
      long epoch = lease.acquire(0, Duration.ofSeconds(10)).orElseThrow();
      assertThat(lease.held()).isTrue();
      registry.publish("futures", "127.0.0.1:9101", epoch);
      assertThat(registry.primary("futures").orElseThrow().epoch()).isEqualTo(epoch);
    }
  }

  @Test
  void aTickOutsideOneMillisecondToTenSecondsIsRefusedByValue() {
    assertThatThrownBy(() -> EmbeddedZooKeeper.start(dir, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("embedded ZooKeeper tick = 0 ms: must be between 1 ms and 10 s");
    assertThatThrownBy(() -> EmbeddedZooKeeper.start(dir, Duration.ofSeconds(11)))
        .hasMessageContaining("tick = 11000 ms");
  }
}
