package dev.stability.core.switchover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.switchover.EndpointRegistry;
import dev.stability.core.CapturingSink;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real sockets: one address is dead, the other listens. */
class FailoverEndpointsTest {

  private final CapturingSink sink = new CapturingSink();
  private final StabilityRuntime runtime = TestRuntimes.quiet("m1").eventSink(sink).build();
  @TempDir Path dir;

  @AfterEach
  void stop() {
    runtime.close();
  }

  private static int deadPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static Socket connect(String address) throws IOException {
    String[] hostPort = address.split(":");
    return new Socket(hostPort[0], Integer.parseInt(hostPort[1]));
  }

  @Test
  void connectsToTheNextPreRegisteredAddressAndReportsTheReconnect() throws Exception {
    try (ServerSocket standby = new ServerSocket(0)) {
      String dead = "127.0.0.1:" + deadPort();
      String live = "127.0.0.1:" + standby.getLocalPort();
      FailoverEndpoints endpoints =
          FailoverEndpoints.builder(runtime, "member-0042", "matching")
              .addresses(dead, live)
              .backoff(Duration.ofMillis(1), Duration.ofMillis(10))
              .build();
      try (Socket socket = endpoints.connect(FailoverEndpointsTest::connect)) {
        assertThat(socket.getPort()).isEqualTo(standby.getLocalPort());
      }
      assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();
      assertThat(sink.withCode("CLIENT_RECONNECTED").get(0).message())
          .isEqualTo("member-0042 reconnected to matching at " + live + " after 1 failed attempts");
    }
  }

  @Test
  void theRegistrysCurrentPrimaryIsTriedFirst() throws Exception {
    try (ServerSocket promoted = new ServerSocket(0)) {
      EndpointRegistry registry = EndpointRegistries.file(dir.resolve("registry.json"));
      registry.publish("matching", "127.0.0.1:" + promoted.getLocalPort(), 2);
      List<String> tried = new ArrayList<>();
      FailoverEndpoints endpoints =
          FailoverEndpoints.builder(runtime, "member-7", "matching")
              .addresses("127.0.0.1:" + deadPort())
              .registry(registry)
              .build();
      try (Socket socket =
          endpoints.connect(
              address -> {
                tried.add(address);
                return connect(address);
              })) {
        assertThat(tried).hasSize(1);
      }
      assertThatThrownBy(() -> registry.publish("matching", "127.0.0.1:1", 1))
          .hasMessage(
              "endpoint registry: matching is already published at epoch 2; an entry of epoch 1 is"
                  + " refused");
    }
  }

  @Test
  void givingUpNamesEveryAddressTried() throws Exception {
    String dead = "127.0.0.1:" + deadPort();
    FailoverEndpoints endpoints =
        FailoverEndpoints.builder(runtime, "member-1", "matching")
            .addresses(dead)
            .rounds(3)
            .backoff(Duration.ofMillis(1), Duration.ofMillis(2))
            .build();
    assertThatThrownBy(() -> endpoints.connect(FailoverEndpointsTest::connect))
        .isInstanceOf(FailoverEndpoints.NoEndpointException.class)
        .hasMessageStartingWith(
            "member-1 could not connect to matching after 3 attempts at ["
                + dead
                + ", "
                + dead
                + ", "
                + dead
                + "]");
    assertThatThrownBy(() -> FailoverEndpoints.builder(runtime, "m", "s").build())
        .hasMessage("failover.m.addresses = '[]': needs at least one address or a registry");
  }
}
