package dev.stability.aeron;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;

/** Endpoints on loopback for the replication tests. */
public final class Loopback {
  private Loopback() {}

  /** {@code localhost:<port>} with a UDP port that was free a moment ago. */
  public static String freeEndpoint() {
    try (DatagramSocket socket = new DatagramSocket(0)) {
      return "localhost:" + socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
