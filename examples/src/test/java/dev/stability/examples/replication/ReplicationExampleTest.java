package dev.stability.examples.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stability.api.Role;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicationExampleTest {

  @TempDir Path dir;

  private static String endpoint() throws Exception {
    try (DatagramSocket socket = new DatagramSocket(0)) {
      return "localhost:" + socket.getLocalPort();
    }
  }

  @Test
  void everyOrderThePrimaryAcknowledgesIsJournaledOnTheStandby() throws Exception {
    String standbyEndpoint = endpoint();
    String primaryEndpoint = endpoint();
    AtomicBoolean stop = new AtomicBoolean();
    ByteArrayOutputStream standbyOut = new ByteArrayOutputStream();
    CompletableFuture<ReplicationExample.Result> standby =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return ReplicationExample.run(
                    Role.STANDBY,
                    dir.resolve("b"),
                    standbyEndpoint,
                    primaryEndpoint,
                    0,
                    1,
                    new PrintStream(standbyOut, true, StandardCharsets.UTF_8),
                    stop::get);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    ByteArrayOutputStream primaryOut = new ByteArrayOutputStream();
    ReplicationExample.Result primary =
        ReplicationExample.run(
            Role.PRIMARY,
            dir.resolve("a"),
            standbyEndpoint,
            primaryEndpoint,
            5_000,
            5_000,
            new PrintStream(primaryOut, true, StandardCharsets.UTF_8),
            () -> false);
    stop.set(true);
    ReplicationExample.Result received = standby.get(30, TimeUnit.SECONDS);

    assertThat(primary.appended()).isEqualTo(5_000);
    assertThat(primary.acknowledged())
        .as(primaryOut.toString(StandardCharsets.UTF_8))
        .isEqualTo(5_000);
    assertThat(primary.received()).isEqualTo(5_000); // confirmed by the standby
    assertThat(received.received()).isEqualTo(5_000);
    assertThat(primaryOut.toString(StandardCharsets.UTF_8))
        .contains("primary: appended 5000, acknowledged 5000");
  }
}
