package dev.stability.testkit.members;

import dev.stability.api.switchover.EndpointRegistry;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.switchover.FailoverEndpoints;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Simulated members (R11): each holds a real TCP session with the service's primary and, when it is
 * dropped, reconnects through {@link FailoverEndpoints} (the endpoint registry's primary first,
 * then the pre-registered addresses), so a drill measures how fast members are back after a switch.
 * Sessions read nothing and send nothing: what is measured is the connection.
 *
 * <pre>{@code
 * try (MemberSessions members =
 *     MemberSessions.start(runtime, "futures", 20, registry, primary.address(), standby.address())) {
 *   members.awaitConnected(Duration.ofSeconds(10));
 *   members.switchStarted();                  // just before the switch command
 *   controller.switchover(approval);
 *   members.awaitReconnectedTo(standby.address(), Duration.ofSeconds(10));
 *   Duration slowest = members.slowestReconnect();
 * }
 * }</pre>
 *
 * <p>Thread-safe; one thread per member.
 */
public final class MemberSessions implements AutoCloseable {

  private final int count;
  private final ConcurrentHashMap<Integer, String> at = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Integer, Long> reconnectedAt = new ConcurrentHashMap<>();
  private final List<Thread> threads = new ArrayList<>();
  private final ConcurrentHashMap<Integer, Socket> open = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private volatile long switchStarted;

  private MemberSessions(
      StabilityRuntime runtime,
      String service,
      int count,
      EndpointRegistry registry,
      String... addresses) {
    this.count = count;
    for (int m = 0; m < count; m++) {
      int member = m;
      FailoverEndpoints.Builder builder =
          FailoverEndpoints.builder(runtime, String.format(Locale.ROOT, "member-%04d", m), service)
              .addresses(addresses)
              .backoff(Duration.ofMillis(5), Duration.ofMillis(50))
              .rounds(400);
      if (registry != null) {
        builder.registry(registry);
      }
      FailoverEndpoints endpoints = builder.build();
      Thread thread = new Thread(() -> hold(member, endpoints), "member-" + m);
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }
  }

  /**
   * Starts {@code count} members of {@code service} connecting through {@code registry} (may be
   * null) and the pre-registered {@code addresses} ({@code host:port}).
   *
   * @throws IllegalArgumentException if {@code count} is not from 1 to 10,000 or no address is
   *     given
   */
  public static MemberSessions start(
      StabilityRuntime runtime,
      String service,
      int count,
      EndpointRegistry registry,
      String... addresses) {
    if (count < 1 || count > 10_000) {
      throw new IllegalArgumentException("members: from 1 to 10000, not " + count);
    }
    if (addresses == null || addresses.length == 0) {
      throw new IllegalArgumentException("members need at least one pre-registered address");
    }
    return new MemberSessions(runtime, service, count, registry, addresses);
  }

  private void hold(int member, FailoverEndpoints endpoints) {
    try {
      while (!closed) {
        AtomicReference<String> address = new AtomicReference<>();
        try (Socket session =
            endpoints.connect(
                a -> {
                  address.set(a);
                  return open(a);
                })) {
          open.put(member, session);
          if (closed) {
            return;
          }
          if (at.put(member, address.get()) != null && switchStarted != 0) {
            reconnectedAt.put(member, System.nanoTime());
          }
          InputStream in = session.getInputStream();
          while (in.read() != -1) {
            // held until the gateway drops it
          }
        } catch (IOException dropped) {
          // reset rather than closed: dropped all the same, reconnect
        }
      }
    } catch (InterruptedException | RuntimeException ended) {
      // stopped, or no address answered in every round (FailoverEndpoints said so)
    }
  }

  private static Socket open(String address) throws IOException {
    int colon = address.lastIndexOf(':');
    Socket socket = new Socket();
    socket.connect(
        new InetSocketAddress(
            address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
        200);
    return socket;
  }

  /** Waits until every member connected once; returns how many did. */
  public int awaitConnected(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (at.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return at.size();
  }

  /** Marks the switch command: reconnects are timed from here. */
  public void switchStarted() {
    switchStarted = System.nanoTime();
  }

  /** Waits until every member reconnected to {@code address} after the switch; returns how many. */
  public int awaitReconnectedTo(String address, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (reconnectedTo(address) < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return reconnectedTo(address);
  }

  private int reconnectedTo(String address) {
    int n = 0;
    for (int m = 0; m < count; m++) {
      if (address.equals(at.get(m)) && reconnectedAt.containsKey(m)) {
        n++;
      }
    }
    return n;
  }

  /** From the switch command to the last member back; zero if none reconnected yet. */
  public Duration slowestReconnect() {
    long started = switchStarted;
    return Duration.ofNanos(
        reconnectedAt.values().stream().mapToLong(t -> t - started).max().orElse(0));
  }

  /** The members not reconnected to {@code address}, and where they are, or "" if none. */
  public String missing(String address) {
    StringBuilder out = new StringBuilder();
    for (int m = 0; m < count; m++) {
      if (!address.equals(at.get(m)) || !reconnectedAt.containsKey(m)) {
        out.append(out.length() == 0 ? "not back: " : ", ")
            .append("member ")
            .append(m)
            .append(" at ")
            .append(at.get(m))
            .append(threads.get(m).isAlive() ? "" : " (gave up)");
      }
    }
    return out.toString();
  }

  /** Stops every member and closes its session. Idempotent. */
  @Override
  public void close() {
    closed = true;
    threads.forEach(Thread::interrupt);
    for (Socket session : open.values()) {
      try {
        session.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
