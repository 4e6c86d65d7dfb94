package dev.stability.zookeeper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stability.api.switchover.EndpointRegistry;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The name service on ZooKeeper (R9, R11): each service's current primary, {@code
 * {"address":...,"epoch":...}} in the node {@code <root>/endpoints/<service>}, written by the
 * switch controller after a promotion and watched by clients. Publishing is a compare-and-set on
 * the node's version, so of two publishers racing the older epoch can never overwrite the newer
 * one; an older epoch than the one stored is refused. Reads come from a cache kept current by a
 * ZooKeeper watch (started at the first read or watch of a service), so a client's {@code
 * FailoverEndpoints} tries the new primary first as soon as the watch fires, without polling;
 * {@link #watch(String, Consumer)} tells a client the moment it changes. Thread-safe.
 */
public final class ZooKeeperEndpointRegistry implements EndpointRegistry, AutoCloseable {

  /** A registered watch; closing it stops the calls. */
  public interface Subscription extends AutoCloseable {
    /** Stops telling the listener. Idempotent. */
    @Override
    void close();
  }

  private final ZooKeeperConnection connection;
  private final CuratorFramework curator;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, CuratorCache> caches = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private ZooKeeperEndpointRegistry(ZooKeeperConnection connection) {
    this.connection = connection;
    this.curator = connection.curator();
  }

  /** A registry on {@code connection}; closing it stops its watches (not the connection). */
  public static ZooKeeperEndpointRegistry open(ZooKeeperConnection connection) {
    return new ZooKeeperEndpointRegistry(Objects.requireNonNull(connection, "connection"));
  }

  /**
   * The current primary of {@code service}: read from the ensemble the first time, from the watched
   * cache after that.
   *
   * @throws IllegalStateException if the ensemble cannot be read (a client then falls back on its
   *     pre-registered addresses)
   */
  @Override
  public Optional<Entry> primary(String service) {
    String path = path(service);
    CuratorCache cache = caches.get(service);
    if (cache != null) {
      return cache.get(path).map(this::entry);
    }
    cache(service);
    try {
      return Optional.of(entry(service, curator.getData().forPath(path)));
    } catch (KeeperException.NoNodeException e) {
      return Optional.empty();
    } catch (Exception e) {
      throw new IllegalStateException(
          "endpoint registry: " + path + " cannot be read from ZooKeeper: " + e, e);
    }
  }

  /**
   * Publishes {@code address} as the primary of {@code service} at {@code epoch}: a
   * compare-and-set, retried until it lands or meets a newer epoch.
   *
   * @throws IllegalArgumentException if {@code epoch} is older than the published one
   * @throws IllegalStateException if the ensemble cannot be written
   */
  @Override
  public void publish(String service, String address, long epoch) {
    String path = path(service);
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException("endpoint registry: " + service + ": address is empty");
    }
    byte[] data = encode(address, epoch);
    try {
      while (true) {
        Stat stat = new Stat();
        byte[] current;
        try {
          current = curator.getData().storingStatIn(stat).forPath(path);
        } catch (KeeperException.NoNodeException e) {
          try {
            curator.create().creatingParentsIfNeeded().forPath(path, data);
            return;
          } catch (KeeperException.NodeExistsException raced) {
            continue;
          }
        }
        Entry old = entry(service, current);
        if (epoch < old.epoch()) {
          throw new IllegalArgumentException(
              "endpoint registry: "
                  + service
                  + " is already published at epoch "
                  + old.epoch()
                  + "; an entry of epoch "
                  + epoch
                  + " is refused");
        }
        try {
          curator.setData().withVersion(stat.getVersion()).forPath(path, data);
          return;
        } catch (KeeperException.BadVersionException raced) {
          // another publisher wrote in between: read again and compare epochs again
        }
      }
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(
          "endpoint registry: " + path + " cannot be written to ZooKeeper: " + e, e);
    }
  }

  /**
   * Tells {@code listener} every time the primary of {@code service} changes (and at once what is
   * published now, if anything): each entry once, never one older than the last it was told, one
   * call at a time, on Curator's event thread or the caller's; keep it short, e.g. tell the client
   * to reconnect.
   */
  public Subscription watch(String service, Consumer<Entry> listener) {
    Objects.requireNonNull(listener, "listener");
    String path = path(service);
    CuratorCache cache = cache(service);
    Delivery delivery = new Delivery(listener);
    CuratorCacheListener adapter =
        CuratorCacheListener.builder()
            .forCreatesAndChanges(
                (before, after) -> {
                  if (after != null && path.equals(after.getPath())) {
                    delivery.offer(entry(after));
                  }
                })
            .build();
    cache.listenable().addListener(adapter);
    // The cache may have loaded before the listener was added (then only this tells it) or not
    // (then its load tells it too): the delivery passes each entry once.
    cache.get(path).ifPresent(data -> delivery.offer(entry(data)));
    return () -> cache.listenable().removeListener(adapter);
  }

  /** Passes each entry on once, in epoch order: never the same entry twice, never an older one. */
  private static final class Delivery {
    private final Consumer<Entry> listener;
    private Entry last;

    Delivery(Consumer<Entry> listener) {
      this.listener = listener;
    }

    synchronized void offer(Entry entry) {
      if (entry.equals(last) || (last != null && entry.epoch() < last.epoch())) {
        return;
      }
      last = entry;
      listener.accept(entry);
    }
  }

  /** Stops every watch. The connection stays open. */
  @Override
  public void close() {
    closed = true;
    caches.values().forEach(CuratorCache::close);
    caches.clear();
  }

  /** The connection this registry uses. */
  public ZooKeeperConnection connection() {
    return connection;
  }

  private CuratorCache cache(String service) {
    if (closed) {
      throw new IllegalStateException("endpoint registry is closed");
    }
    return caches.computeIfAbsent(
        service,
        s -> {
          CuratorCache cache =
              CuratorCache.build(curator, path(s), CuratorCache.Options.SINGLE_NODE_CACHE);
          cache.start();
          return cache;
        });
  }

  private String path(String service) {
    if (service == null || !service.matches("[A-Za-z0-9._-]+") || service.matches("\\.+")) {
      throw new IllegalArgumentException(
          "endpoint registry: service '"
              + service
              + "' must be a name of letters, digits, '.', '_' and '-'");
    }
    return connection.path("endpoints", service);
  }

  private byte[] encode(String address, long epoch) {
    try {
      return json.writeValueAsBytes(
          json.createObjectNode().put("address", address).put("epoch", epoch));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private Entry entry(ChildData data) {
    String path = data.getPath();
    return entry(path.substring(path.lastIndexOf('/') + 1), data.getData());
  }

  private Entry entry(String service, byte[] data) {
    try {
      JsonNode node = json.readTree(data);
      return new Entry(node.get("address").asText(), node.get("epoch").asLong());
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "endpoint registry: the entry of " + service + " is not {\"address\",\"epoch\"}", e);
    }
  }
}
