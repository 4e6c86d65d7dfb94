package dev.stability.zookeeper;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.curator.retry.RetryUntilElapsed;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;

/**
 * One session with a ZooKeeper ensemble (through Apache Curator), shared by the role leases and
 * endpoint registries opened on it. Started with {@link #start(ZooKeeperSettings)}, closed by the
 * caller; closing it ends the session, which releases every lease held through it. Thread-safe.
 */
public final class ZooKeeperConnection implements AutoCloseable {

  private final ZooKeeperSettings settings;
  private final CuratorFramework curator;
  private final List<ACL> acl;

  private ZooKeeperConnection(ZooKeeperSettings settings) {
    this.settings = settings;
    this.acl =
        settings.authScheme().isPresent()
            ? ZooDefs.Ids.CREATOR_ALL_ACL
            : ZooDefs.Ids.OPEN_ACL_UNSAFE;
    CuratorFrameworkFactory.Builder builder =
        CuratorFrameworkFactory.builder()
            .connectString(settings.connectString())
            .sessionTimeoutMs(millis(settings.sessionTimeout()))
            .connectionTimeoutMs(millis(settings.connectionTimeout()))
            // Operations retry on a lost connection for at most the connection timeout; the lease's
            // timing never rests on a retry succeeding.
            .retryPolicy(new RetryUntilElapsed(millis(settings.connectionTimeout()), 100))
            .aclProvider(
                new ACLProvider() {
                  @Override
                  public List<ACL> getDefaultAcl() {
                    return acl;
                  }

                  @Override
                  public List<ACL> getAclForPath(String path) {
                    return acl;
                  }
                });
    if (settings.authScheme().isPresent()) {
      builder.authorization(settings.authScheme().get(), settings.auth().orElseThrow());
    }
    this.curator = builder.build();
  }

  /**
   * Connects to the ensemble and waits up to the connection timeout for the session.
   *
   * @throws IllegalStateException if no server answered within the connection timeout
   * @throws InterruptedException if interrupted while waiting
   */
  public static ZooKeeperConnection start(ZooKeeperSettings settings) throws InterruptedException {
    ZooKeeperConnection connection = new ZooKeeperConnection(settings);
    connection.curator.start();
    if (!connection.curator.blockUntilConnected(
        millis(settings.connectionTimeout()), TimeUnit.MILLISECONDS)) {
      connection.close();
      throw new IllegalStateException(
          "ZooKeeper at "
              + settings.connectString()
              + " did not answer within "
              + settings.connectionTimeout().toMillis()
              + " ms");
    }
    return connection;
  }

  /** The settings it was started with. */
  public ZooKeeperSettings settings() {
    return settings;
  }

  /** Whether the session is connected to a server now. */
  public boolean connected() {
    return curator.getZookeeperClient().isConnected();
  }

  /** Ends the session: ephemeral nodes go at once, so leases held through it are free. */
  @Override
  public void close() {
    curator.close();
  }

  CuratorFramework curator() {
    return curator;
  }

  List<ACL> acl() {
    return acl;
  }

  /** The path of {@code parts} under the root. */
  String path(String... parts) {
    return settings.root() + "/" + String.join("/", parts);
  }

  static int millis(Duration duration) {
    return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
  }
}
