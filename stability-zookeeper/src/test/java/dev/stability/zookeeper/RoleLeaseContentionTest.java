package dev.stability.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stability.api.journal.EpochFencedException;
import dev.stability.api.journal.Journal;
import dev.stability.core.CapturingSink;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Several participants, each with its own ZooKeeper session, contend for one system's primary role
 * on a real 3-node ensemble: they acquire, acknowledge while {@code held()}, then release or crash
 * (their session closes). The history of acknowledgements must be linear: one participant per
 * epoch, epochs in time order, no overlap; and the epoch handed to the journal's fence refuses
 * every older writer.
 */
class RoleLeaseContentionTest {

  private static TestingCluster cluster;

  @BeforeAll
  static void startEnsemble() throws Exception {
    cluster = Ensembles.cluster(3);
  }

  @AfterAll
  static void stopEnsemble() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static ZooKeeperSettings settings() {
    return ZooKeeperSettings.builder(cluster.getConnectString())
        .sessionTimeout(Duration.ofSeconds(2))
        .root("/contention")
        .build();
  }

  @Test
  void oneHolderAtATimeUnderContentionWithEpochsThatOnlyGrow() throws Exception {
    int grantsWanted = 24;
    LeaseHistory history = new LeaseHistory();
    AtomicInteger grants = new AtomicInteger();
    AtomicInteger crashes = new AtomicInteger();
    AtomicInteger fenced = new AtomicInteger();
    List<Long> grantedInOrder = new CopyOnWriteArrayList<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    StabilityRuntime journalRuntime = TestRuntimes.quiet("journal").build();
    Journal journal = journalRuntime.journals().inMemory();
    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    List<Thread> members = new ArrayList<>();
    for (int m = 0; m < 4; m++) {
      String name = "member-" + m;
      long seed = 42 + m;
      Thread member =
          new Thread(
              () -> {
                Random random = new Random(seed);
                try (StabilityRuntime runtime = TestRuntimes.quiet(name).build()) {
                  ZooKeeperConnection connection = ZooKeeperConnection.start(settings());
                  ZooKeeperRoleLease lease =
                      ZooKeeperRoleLease.open(
                          runtime, connection, RoleLeaseSettings.of("OMS", name));
                  try {
                    while (grants.get() < grantsWanted && System.nanoTime() < deadline) {
                      OptionalLong epoch = lease.acquire(journal.epoch(), Duration.ofSeconds(1));
                      if (epoch.isEmpty()) {
                        continue;
                      }
                      grants.incrementAndGet();
                      grantedInOrder.add(epoch.getAsLong());
                      synchronized (journal) {
                        journal.fence(epoch.getAsLong());
                      }
                      long holdUntil = System.nanoTime() + (10 + random.nextInt(50)) * 1_000_000L;
                      while (System.nanoTime() < holdUntil && history.acknowledge(lease)) {
                        synchronized (journal) {
                          try {
                            journal.append(epoch.getAsLong(), name.getBytes());
                          } catch (EpochFencedException e) {
                            fenced.incrementAndGet();
                          }
                        }
                        Thread.sleep(1);
                      }
                      if (random.nextInt(4) == 0) {
                        // a crash: the session ends with its connection, the lease is not released
                        crashes.incrementAndGet();
                        connection.close();
                        lease.close();
                        connection = ZooKeeperConnection.start(settings());
                        lease =
                            ZooKeeperRoleLease.open(
                                runtime, connection, RoleLeaseSettings.of("OMS", name));
                      } else {
                        lease.release();
                      }
                    }
                  } finally {
                    lease.close();
                    connection.close();
                  }
                } catch (Throwable e) {
                  failures.add(e);
                }
              },
              name);
      members.add(member);
      member.start();
    }
    for (Thread member : members) {
      member.join(Duration.ofSeconds(60).toMillis());
    }
    journalRuntime.close();

    assertThat(failures).isEmpty();
    assertThat(grants.get()).isGreaterThanOrEqualTo(grantsWanted);
    assertThat(crashes.get()).as("some holders crashed instead of releasing").isPositive();
    assertThat(history.violations()).isEmpty();
    assertThat(history.intervals()).hasSizeGreaterThanOrEqualTo(grantsWanted);
    // every grant had a new, greater epoch than every grant before it
    assertThat(grantedInOrder).doesNotHaveDuplicates();
    List<Long> spans = new ArrayList<>();
    history.intervals().forEach(span -> spans.add(span[0]));
    assertThat(spans).isSorted();
    assertThat(fenced.get()).as("no holder was fenced while it held the lease").isZero();
  }

  @Test
  void theEpochIsAboveTheJournalsAndTheFenceRefusesTheOldHolder() throws Exception {
    CapturingSink events = new CapturingSink();
    try (StabilityRuntime runtime = TestRuntimes.quiet("a1").eventSink(events).build();
        ZooKeeperConnection first = ZooKeeperConnection.start(settings());
        ZooKeeperConnection second = ZooKeeperConnection.start(settings());
        ZooKeeperRoleLease a =
            ZooKeeperRoleLease.open(runtime, first, RoleLeaseSettings.of("RISK", "a1"));
        ZooKeeperRoleLease b =
            ZooKeeperRoleLease.open(runtime, second, RoleLeaseSettings.of("RISK", "b1"))) {
      Journal journal = runtime.journals().inMemory();
      journal.fence(100);
      long epochA = a.acquire(journal.epoch(), Duration.ofSeconds(5)).orElseThrow();
      assertThat(epochA).isEqualTo(101);
      journal.fence(epochA);
      journal.append(epochA, new byte[] {1});
      assertThat(a.holder()).contains(new dev.stability.api.switchover.RoleLease.Holder("a1", 101));

      assertThat(gauge(runtime, "stability.lease.held", "a1")).isEqualTo(1);
      assertThat(gauge(runtime, "stability.lease.held", "b1")).isZero();
      assertThat(gauge(runtime, "stability.lease.epoch", "a1")).isEqualTo(101);

      assertThat(b.acquire(journal.epoch(), Duration.ofMillis(300))).isEmpty();
      a.release();
      assertThat(a.held()).isFalse();
      long epochB = b.acquire(journal.epoch(), Duration.ofSeconds(5)).orElseThrow();
      assertThat(epochB).isEqualTo(102);
      journal.fence(epochB);
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> journal.append(epochA, new byte[] {2}))
          .isInstanceOf(EpochFencedException.class);
      assertThat(b.holder()).contains(new dev.stability.api.switchover.RoleLease.Holder("b1", 102));
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> events.withCode("ROLE_LEASE_RELEASED").size() == 1);
      assertThat(events.withCode("ROLE_LEASE_ACQUIRED")).hasSize(2);
      assertThat(gauge(runtime, "stability.lease.held", "a1")).isZero();
      assertThat(gauge(runtime, "stability.lease.held", "b1")).isEqualTo(1);
      assertThat(gauge(runtime, "stability.lease.epoch", "b1")).isEqualTo(102);
    }
  }

  private static double gauge(StabilityRuntime runtime, String name, String participant) {
    return runtime
        .meterRegistry()
        .get(name)
        .tag("lease", "RISK")
        .tag("participant", participant)
        .gauge()
        .value();
  }
}
