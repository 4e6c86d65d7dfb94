package dev.stability.benchmarks;

import dev.stability.api.ServiceIdentity;
import dev.stability.core.StabilityRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/** What the replication benchmarks share: quiet runtimes, free UDP ports, back-off waiting. */
final class ReplicationFixtures {

  private ReplicationFixtures() {}

  /** A runtime with no SLF4J output for the instance {@code instance} of system BENCH. */
  static StabilityRuntime runtime(String instance) {
    return StabilityRuntime.builder(
            ServiceIdentity.builder()
                .systemCode("BENCH")
                .subsystem("replication")
                .instanceId(instance)
                .build())
        .slf4jOutput(false)
        .build();
  }

  /** A UDP port free on this host a moment ago. */
  static int freePort() {
    try (DatagramSocket socket = new DatagramSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How each waiting loop waits: spinning would starve the drivers' threads on 2 cores. */
  static IdleStrategy idle() {
    return new BackoffIdleStrategy(10, 20, 1_000, 50_000);
  }
}
