package dev.stability.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.time.Duration;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

/** A connection to a real ZooKeeper server, and one to nothing that says so within its timeout. */
class ZooKeeperConnectionTest {

  @Test
  void connectsToARealServerAndClosesItsSession() throws Exception {
    try (TestingServer server = new TestingServer(true)) {
      ZooKeeperConnection connection =
          ZooKeeperConnection.start(ZooKeeperSettings.builder(server.getConnectString()).build());
      assertThat(connection.connected()).isTrue();
      assertThat(connection.path("leases", "OMS", "epoch"))
          .isEqualTo("/stability/leases/OMS/epoch");
      connection.close();
      assertThat(connection.connected()).isFalse();
    }
  }

  @Test
  void refusesToStartWhenNoServerAnswersWithinTheConnectionTimeout() throws Exception {
    int port;
    try (ServerSocket unused = new ServerSocket(0)) {
      port = unused.getLocalPort();
    }
    long started = System.nanoTime();
    assertThatThrownBy(
            () ->
                ZooKeeperConnection.start(
                    ZooKeeperSettings.builder("127.0.0.1:" + port)
                        .connectionTimeout(Duration.ofMillis(500))
                        .build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("ZooKeeper at 127.0.0.1:" + port + " did not answer within 500 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }
}
