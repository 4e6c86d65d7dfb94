package dev.stability.api.switchover;

import java.util.Optional;

/**
 * Where clients find the current primary of a service (R9): the switch controller publishes the new
 * primary's address with its epoch after a promotion; clients (and their failover endpoint lists)
 * read it when they reconnect. An entry with an older epoch than the one held is refused, so a
 * fenced primary cannot point clients back at itself. The SDK has a file and an in-memory
 * implementation; a ZooKeeper or etcd one plugs in here.
 */
public interface EndpointRegistry {

  /** The current primary of {@code service}, if published. */
  Optional<Entry> primary(String service);

  /**
   * Publishes {@code address} as the primary of {@code service} at {@code epoch}.
   *
   * @throws IllegalArgumentException if {@code epoch} is older than the published one
   */
  void publish(String service, String address, long epoch);

  /**
   * A published primary.
   *
   * @param address where clients connect
   * @param epoch the epoch it was promoted at
   */
  record Entry(String address, long epoch) {}
}
