package dev.stability.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.switchover.EndpointRegistry.Entry;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import dev.stability.core.switchover.FailoverEndpoints;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The name service on a real ZooKeeper server: what one process publishes another reads, older
 * epochs are refused (also when two publishers race), and a watching client learns of a new primary
 * at once and its failover list tries it first.
 */
class ZooKeeperEndpointRegistryTest {

  private TestingServer server;
  private final List<AutoCloseable> resources = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = new TestingServer(true);
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    server.close();
  }

  private ZooKeeperEndpointRegistry registry() throws InterruptedException {
    ZooKeeperConnection connection =
        ZooKeeperConnection.start(ZooKeeperSettings.builder(server.getConnectString()).build());
    resources.add(connection);
    ZooKeeperEndpointRegistry registry = ZooKeeperEndpointRegistry.open(connection);
    resources.add(registry);
    return registry;
  }

  @Test
  void whatOneProcessPublishesAnotherReads() throws Exception {
    ZooKeeperEndpointRegistry controller = registry();
    ZooKeeperEndpointRegistry client = registry();
    assertThat(client.primary("matching")).isEmpty();
    controller.publish("matching", "10.0.0.1:9001", 1);
    CompletableFuture<Void> seen = new CompletableFuture<>();
    client.watch("matching", entry -> seen.complete(null));
    seen.get(5, TimeUnit.SECONDS);
    assertThat(client.primary("matching")).contains(new Entry("10.0.0.1:9001", 1));
    assertThat(controller.primary("other")).isEmpty();
  }

  @Test
  void refusesAnOlderEpochAndKeepsTheNewerEntry() throws Exception {
    ZooKeeperEndpointRegistry registry = registry();
    registry.publish("matching", "10.0.0.2:9001", 5);
    assertThatThrownBy(() -> registry.publish("matching", "10.0.0.1:9001", 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "endpoint registry: matching is already published at epoch 5; an entry of epoch 4 is"
                + " refused");
    registry.publish("matching", "10.0.0.3:9001", 5);
    assertThat(registry().primary("matching")).contains(new Entry("10.0.0.3:9001", 5));
    assertThatThrownBy(() -> registry.publish("a/b", "x:1", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("service 'a/b' must be a name");
  }

  @Test
  void racingPublishersNeverLeaveAnOlderEpochBehindANewerOne() throws Exception {
    ZooKeeperEndpointRegistry first = registry();
    ZooKeeperEndpointRegistry second = registry();
    ZooKeeperEndpointRegistry watcher = registry();
    List<Long> seen = new CopyOnWriteArrayList<>();
    watcher.watch("risk", entry -> seen.add(entry.epoch()));
    CompletableFuture<Integer> odd = CompletableFuture.supplyAsync(() -> publishAll(first, 1));
    CompletableFuture<Integer> even = CompletableFuture.supplyAsync(() -> publishAll(second, 2));
    int refused = odd.get(30, TimeUnit.SECONDS) + even.get(30, TimeUnit.SECONDS);
    assertThat(registry().primary("risk")).map(Entry::epoch).contains(200L);
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(5))
        .until(() -> !seen.isEmpty() && seen.get(seen.size() - 1) == 200L);
    assertThat(seen).as("the watched epochs never go back").isSorted();
    System.out.printf("registry race: %d of 200 publishes refused as older%n", refused);
  }

  private static int publishAll(ZooKeeperEndpointRegistry registry, int start) {
    int refused = 0;
    for (long epoch = start; epoch <= 200; epoch += 2) {
      try {
        registry.publish("risk", "host-" + epoch + ":9001", epoch);
      } catch (IllegalArgumentException e) {
        refused++;
      }
    }
    return refused;
  }

  @Test
  void aWatchingClientLearnsOfTheNewPrimaryAtOnceAndReconnectsThereFirst() throws Exception {
    ZooKeeperEndpointRegistry controller = registry();
    ZooKeeperEndpointRegistry client = registry();
    controller.publish("matching", "primary-a:9001", 1);
    BlockingQueue<Entry> changes = new LinkedBlockingQueue<>();
    client.watch("matching", changes::add);
    assertThat(changes.poll(5, TimeUnit.SECONDS)).isEqualTo(new Entry("primary-a:9001", 1));

    long published = System.nanoTime();
    controller.publish("matching", "standby-b:9001", 2);
    Entry change = changes.poll(5, TimeUnit.SECONDS);
    long told = System.nanoTime();
    assertThat(change).isEqualTo(new Entry("standby-b:9001", 2));
    assertThat(changes.poll(200, TimeUnit.MILLISECONDS)).as("each entry told once").isNull();
    assertThat(told - published).as("watch latency, ns").isLessThan(2_000_000_000L);

    try (StabilityRuntime runtime = TestRuntimes.quiet("member-0042").build()) {
      FailoverEndpoints endpoints =
          FailoverEndpoints.builder(runtime, "member-0042", "matching")
              .addresses("primary-a:9001", "standby-b:9001")
              .registry(client)
              .build();
      List<String> tried = new ArrayList<>();
      String connected =
          endpoints.connect(
              address -> {
                tried.add(address);
                return address;
              });
      assertThat(connected).isEqualTo("standby-b:9001");
      assertThat(tried).containsExactly("standby-b:9001");
    }
    System.out.printf(
        "registry: a watching client was told of the new primary %d us after it was published%n",
        (told - published) / 1_000);
  }
}
