package dev.stability.zookeeper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

/**
 * A single ZooKeeper server in this JVM, on loopback, for demos and development: what lets the demo
 * show the role lease with nothing installed. Not for production, where a lease is only as safe as
 * the ensemble it rests on (three or five servers on their own hosts): point {@link
 * ZooKeeperSettings#builder(String)} at that instead. Started by {@link #start(Path, Duration)};
 * {@link #close()} stops it. ZooKeeper's server needs {@code io.dropwizard.metrics:metrics-core}
 * and {@code org.xerial.snappy:snappy-java} on the class path (optional dependencies of this
 * module: add them to use this class).
 */
public final class EmbeddedZooKeeper implements AutoCloseable {

  private final ZooKeeperServer server;
  private final ServerCnxnFactory factory;

  private EmbeddedZooKeeper(ZooKeeperServer server, ServerCnxnFactory factory) {
    this.server = server;
    this.factory = factory;
  }

  /**
   * Starts a server keeping its data in {@code directory}, on a free loopback port.
   *
   * @param directory where the server keeps its snapshots and transaction log (created if absent)
   * @param tick the server's tick: sessions of 2 to 20 ticks are granted
   * @throws UncheckedIOException if it cannot start
   * @throws IllegalArgumentException if {@code tick} is not between 1 ms and 10 s
   */
  public static EmbeddedZooKeeper start(Path directory, Duration tick) {
    if (tick.toMillis() < 1 || tick.toMillis() > 10_000) {
      throw new IllegalArgumentException(
          "embedded ZooKeeper tick = " + tick.toMillis() + " ms: must be between 1 ms and 10 s");
    }
    try {
      Class.forName("com.codahale.metrics.Counter");
      Class.forName("org.xerial.snappy.SnappyInputStream");
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "embedded ZooKeeper: ZooKeeper's server needs io.dropwizard.metrics:metrics-core and"
              + " org.xerial.snappy:snappy-java on the class path (optional dependencies of"
              + " stability-zookeeper); add them ("
              + e.getMessage()
              + " is missing)",
          e);
    }
    ServerCnxnFactory factory = null;
    try {
      Files.createDirectories(directory);
      ZooKeeperServer server =
          new ZooKeeperServer(directory.toFile(), directory.toFile(), (int) tick.toMillis());
      factory =
          ServerCnxnFactory.createFactory(
              new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
      factory.startup(server);
      return new EmbeddedZooKeeper(server, factory);
    } catch (IOException | RuntimeException e) {
      if (factory != null) {
        factory.shutdown(); // its connection expirer thread would keep the JVM alive
      }
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new UncheckedIOException(
          "embedded ZooKeeper in " + directory + ": " + e, (IOException) e);
    } catch (InterruptedException e) {
      if (factory != null) {
        factory.shutdown();
      }
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the embedded ZooKeeper", e);
    }
  }

  /** The connect string for {@link ZooKeeperSettings#builder(String)}: {@code 127.0.0.1:port}. */
  public String connectString() {
    return "127.0.0.1:" + factory.getLocalPort();
  }

  /** Stops the server; its clients' sessions end. */
  @Override
  public void close() {
    factory.shutdown();
    server.shutdown();
  }
}
