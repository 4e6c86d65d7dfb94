package dev.stability.testkit.members;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for a trading gateway in drills and tests: a TCP server on loopback that accepts
 * member sessions and holds them until it is closed, which drops every session (what members see
 * when their primary stops). Pair it with {@link MemberSessions}. Thread-safe.
 */
public final class MemberGateway implements AutoCloseable {

  private final ServerSocket server;
  private final List<Socket> sessions = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  private MemberGateway(ServerSocket server) {
    this.server = server;
    this.acceptor =
        new Thread(
            () -> {
              try {
                while (true) {
                  sessions.add(server.accept());
                }
              } catch (IOException closed) {
                // closed: no more sessions
              }
            },
            "member-gateway-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * Opens a gateway on {@code port} of the loopback address (0: any free port).
   *
   * @throws UncheckedIOException if the port cannot be bound
   */
  public static MemberGateway open(int port) {
    try {
      return new MemberGateway(new ServerSocket(port, 128, InetAddress.getLoopbackAddress()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a member gateway on port " + port, e);
    }
  }

  /** {@code 127.0.0.1:<port>}: what members connect to. */
  public String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  /** Sessions accepted so far (closed ones included). */
  public int sessions() {
    return sessions.size();
  }

  /**
   * Stops accepting and drops every session, including one accepted a moment ago (it waits for the
   * acceptor to end first, so no session is missed). Idempotent.
   */
  @Override
  public void close() {
    try {
      server.close();
      acceptor.join(1_000);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Socket session : sessions) {
      try {
        session.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
