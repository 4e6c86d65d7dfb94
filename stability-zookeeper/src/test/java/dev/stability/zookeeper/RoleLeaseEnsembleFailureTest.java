package dev.stability.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stability.core.CapturingSink;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ensemble itself fails under a holder: one server of three dies (the quorum survives: nothing
 * changes), two die (no quorum: the holder stops at its deadline and nobody is granted the role
 * until the quorum is back), all three restart (the epoch goes on from where it was).
 */
class RoleLeaseEnsembleFailureTest {

  private TestingCluster cluster;
  private final List<AutoCloseable> resources = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    cluster = Ensembles.cluster(3);
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    cluster.close();
  }

  private <T extends AutoCloseable> T closing(T resource) {
    resources.add(resource);
    return resource;
  }

  private ZooKeeperRoleLease lease(
      StabilityRuntime runtime, String connectString, Duration session, String participant)
      throws InterruptedException {
    ZooKeeperConnection connection =
        closing(
            ZooKeeperConnection.start(
                ZooKeeperSettings.builder(connectString).sessionTimeout(session).build()));
    return closing(
        ZooKeeperRoleLease.open(runtime, connection, RoleLeaseSettings.of("OMS", participant)));
  }

  @Test
  void losingTheServerTheHolderIsConnectedToChangesNothing() throws Exception {
    CapturingSink events = new CapturingSink();
    StabilityRuntime runtime = closing(TestRuntimes.quiet("a1").eventSink(events).build());
    // The holder talks to the followers only, so that the server it loses is not the leader (a
    // leader's death stops all writes until the election is over, heartbeats included).
    List<InstanceSpec> followers = Ensembles.followers(cluster);
    assertThat(followers).hasSize(2);
    String connectString =
        followers.stream().map(InstanceSpec::getConnectString).collect(Collectors.joining(","));
    ZooKeeperRoleLease holder = lease(runtime, connectString, Duration.ofSeconds(4), "a1");
    long epoch = holder.acquire(0, Duration.ofSeconds(5)).orElseThrow();

    InstanceSpec connectedTo =
        cluster.findConnectionInstance(
            holder.connection().curator().getZookeeperClient().getZooKeeper());
    LeaseHistory history = new LeaseHistory();
    AtomicBoolean running = new AtomicBoolean(true);
    List<Long> gaps = new ArrayList<>();
    java.util.concurrent.atomic.AtomicInteger refusals =
        new java.util.concurrent.atomic.AtomicInteger();
    CompletableFuture<Void> acks =
        CompletableFuture.runAsync(
            () -> {
              long last = System.nanoTime();
              while (running.get()) {
                if (history.acknowledge(holder)) {
                  long now = System.nanoTime();
                  gaps.add(now - last);
                  last = now;
                } else {
                  refusals.incrementAndGet();
                }
                try {
                  Thread.sleep(1);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    cluster.killServer(connectedTo);
    Thread.sleep(6_000);
    running.set(false);
    acks.get(5, TimeUnit.SECONDS);
    cluster.restartServer(connectedTo);

    assertThat(holder.held()).isTrue();
    assertThat(holder.epoch()).isEqualTo(epoch);
    assertThat(events.withCode("ROLE_LEASE_LOST")).isEmpty();
    assertThat(refusals.get()).as("checks of held() that said no").isZero();
    assertThat(gaps).hasSizeGreaterThan(100);
    System.out.printf(
        "one server lost: %d acknowledgements, longest pause between two %d ms%n",
        gaps.size(), gaps.stream().mapToLong(Long::longValue).max().orElseThrow() / 1_000_000);
    assertThat(
            cluster.findConnectionInstance(
                holder.connection().curator().getZookeeperClient().getZooKeeper()))
        .isNotEqualTo(connectedTo);
  }

  @Test
  void withoutAQuorumTheHolderStopsAtItsDeadlineAndNobodyIsGranted() throws Exception {
    CapturingSink events = new CapturingSink();
    StabilityRuntime runtime = closing(TestRuntimes.quiet("a1").eventSink(events).build());
    Duration session = Duration.ofSeconds(2);
    ZooKeeperRoleLease holder = lease(runtime, cluster.getConnectString(), session, "a1");
    ZooKeeperRoleLease contender =
        lease(closing(TestRuntimes.quiet("b1").build()), cluster.getConnectString(), session, "b1");
    long first = holder.acquire(0, Duration.ofSeconds(5)).orElseThrow();
    LeaseHistory history = new LeaseHistory();

    List<InstanceSpec> servers = new ArrayList<>(cluster.getInstances());
    cluster.killServer(servers.get(0));
    cluster.killServer(servers.get(1));
    long killed = System.nanoTime(); // the quorum is gone from here: no heartbeat is answered
    long stoppedAt = 0;
    while (System.nanoTime() - killed < 3_000_000_000L) {
      if (!history.acknowledge(holder) && stoppedAt == 0) {
        stoppedAt = System.nanoTime();
      }
      Thread.sleep(1);
    }
    assertThat(stoppedAt).as("the holder stopped").isPositive();
    assertThat(stoppedAt - killed)
        .as("within session - margin (1.2 s) of the quorum's loss, ns")
        .isLessThanOrEqualTo(1_500_000_000L);
    System.out.printf(
        "quorum lost: the holder stopped %d ms after%n", (stoppedAt - killed) / 1_000_000);
    assertThat(holder.held()).isFalse();
    assertThat(contender.acquire(first, Duration.ofSeconds(1))).isEmpty();
    assertThat(events.withCode("ROLE_LEASE_LOST")).hasSize(1);

    cluster.restartServer(servers.get(0));
    cluster.restartServer(servers.get(1));
    OptionalLong second = contender.acquire(first, Duration.ofSeconds(20));
    assertThat(second).isPresent();
    assertThat(second.getAsLong()).isGreaterThan(first);
    long until = System.nanoTime() + 100_000_000L;
    while (System.nanoTime() < until) {
      history.acknowledge(contender);
      assertThat(holder.held()).isFalse();
    }
    assertThat(history.violations()).isEmpty();
  }

  @Test
  void epochsOnlyGrowAcrossARestartOfTheWholeEnsemble() throws Exception {
    StabilityRuntime runtime = closing(TestRuntimes.quiet("a1").build());
    Duration session = Duration.ofSeconds(2);
    long before;
    try (ZooKeeperConnection connection =
            ZooKeeperConnection.start(
                ZooKeeperSettings.builder(cluster.getConnectString())
                    .sessionTimeout(session)
                    .build());
        ZooKeeperRoleLease lease =
            ZooKeeperRoleLease.open(runtime, connection, RoleLeaseSettings.of("OMS", "a1"))) {
      lease.acquire(0, Duration.ofSeconds(5)).orElseThrow();
      lease.release();
      before = lease.acquire(0, Duration.ofSeconds(5)).orElseThrow();
      assertThat(before).isEqualTo(2);
    }
    for (InstanceSpec spec : cluster.getInstances()) {
      cluster.killServer(spec);
    }
    for (InstanceSpec spec : cluster.getInstances()) {
      cluster.restartServer(spec);
    }
    ZooKeeperRoleLease after = lease(runtime, cluster.getConnectString(), session, "b1");
    assertThat(after.acquire(0, Duration.ofSeconds(20))).hasValue(before + 1);
  }
}
