package dev.stability.ops.internal;

import dev.stability.core.internal.DaemonThreads;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionMetaData;

/**
 * The request read timeout: a connection whose request line and headers are not complete within a
 * bound of its opening (or of the previous response) is closed, however slowly its bytes trickle
 * in. Jetty's idle timeout alone restarts at every byte, so a client sending one byte every few
 * seconds would hold a connection for ever. Thread-safe; one daemon thread sweeps.
 */
final class ReadTimeouts implements Connection.Listener, AutoCloseable {

  private static final long BUSY = Long.MAX_VALUE;

  private final long timeoutNanos;
  private final Map<Connection, Long> waitingSince = new ConcurrentHashMap<>();
  private final ScheduledExecutorService sweeper;
  private final AtomicLong closed = new AtomicLong();

  ReadTimeouts(Duration timeout, String instance) {
    this.timeoutNanos = timeout.toNanos();
    this.sweeper =
        Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("stability-ops-read-timeout-" + instance));
    long period = Math.max(20, Math.min(250, timeout.toMillis() / 4));
    sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
  }

  @Override
  public void onOpened(Connection connection) {
    // Only HTTP connections carry requests; the TLS layer under one is closed with it.
    if (connection instanceof ConnectionMetaData) {
      waitingSince.put(connection, System.nanoTime());
    }
  }

  @Override
  public void onClosed(Connection connection) {
    waitingSince.remove(connection);
  }

  /** A request of {@code connection} arrived whole: it is no longer waiting. */
  void started(Connection connection) {
    waitingSince.replace(connection, BUSY);
  }

  /** The response went out: the connection waits for its next request from now. */
  void finished(Connection connection) {
    waitingSince.replace(connection, System.nanoTime());
  }

  /** Connections closed for a request that did not arrive in time. */
  long closed() {
    return closed.get();
  }

  private void sweep() {
    long now = System.nanoTime();
    for (Map.Entry<Connection, Long> entry : waitingSince.entrySet()) {
      long since = entry.getValue();
      if (since != BUSY && now - since > timeoutNanos) {
        if (waitingSince.remove(entry.getKey(), since)) {
          closed.incrementAndGet();
          entry.getKey().getEndPoint().close();
        }
      }
    }
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
  }
}
