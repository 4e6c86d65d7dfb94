package dev.stability.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.ConfigurationException;
import dev.stability.api.journal.Journal;
import dev.stability.api.switchover.RoleNotHeldException;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import dev.stability.core.journal.FlushPolicy;
import dev.stability.core.journal.JournalSettings;
import dev.stability.core.journal.LeasedJournal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The primary's input stops with its lease: a {@link LeasedJournal} over a real file journal and a
 * real lease on a ZooKeeper server takes appends while the lease is held and refuses them, writing
 * nothing, from the lease's deadline on (the holder cut off the server by a TCP forwarder that
 * drops every byte), before another participant is granted the role.
 */
class LeasedJournalTest {

  private static final Duration SESSION = Duration.ofSeconds(2);

  @TempDir Path dir;
  private TestingServer server;
  private PartitionProxy proxy;
  private StabilityRuntime runtime;
  private final List<AutoCloseable> resources = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server =
        new TestingServer(
            new InstanceSpec(null, -1, -1, -1, true, -1, Ensembles.TICK_MS, -1), true);
    proxy = new PartitionProxy(server.getPort());
    runtime = TestRuntimes.quiet("primary").build();
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    runtime.close();
    proxy.close();
    server.close();
  }

  private ZooKeeperRoleLease lease(String connectString, String participant)
      throws InterruptedException {
    ZooKeeperConnection connection =
        ZooKeeperConnection.start(
            ZooKeeperSettings.builder(connectString).sessionTimeout(SESSION).build());
    resources.add(connection);
    ZooKeeperRoleLease lease =
        ZooKeeperRoleLease.open(runtime, connection, RoleLeaseSettings.of("OMS", participant));
    resources.add(lease);
    return lease;
  }

  private Journal fileJournal() {
    return runtime
        .journals()
        .open(
            JournalSettings.builder("orders", dir.resolve("orders"))
                .flush(FlushPolicy.os())
                .build());
  }

  @Test
  void appendsStopAtTheLeaseDeadlineBeforeAnotherParticipantIsGranted() throws Exception {
    ZooKeeperRoleLease holder = lease("127.0.0.1:" + proxy.port(), "oms-a1");
    ZooKeeperRoleLease contender = lease(server.getConnectString(), "oms-b1");
    Journal file = fileJournal();
    long epoch = holder.acquire(file.epoch(), Duration.ofSeconds(10)).orElseThrow();
    file.fence(epoch);
    LeasedJournal input = LeasedJournal.of(file, holder);
    for (int i = 0; i < 100; i++) {
      input.append(epoch, new byte[] {(byte) i});
    }
    assertThat(input.lastSequence()).isEqualTo(100);

    long partitioned = System.nanoTime();
    proxy.partition();
    long lastAppended = partitioned;
    RoleNotHeldException refusal = null;
    while (refusal == null) {
      try {
        input.append(epoch, new byte[] {1});
        lastAppended = System.nanoTime(); // after the append returned: the write happened before
      } catch (RoleNotHeldException e) {
        refusal = e;
      }
      Thread.sleep(1);
    }
    long written = file.lastSequence();
    long granted = contender.acquire(file.epoch(), Duration.ofSeconds(20)).orElseThrow();
    long grantedAt = System.nanoTime(); // after the grant was answered: it happened before

    assertThat(granted).isGreaterThan(epoch);
    assertThat(lastAppended)
        .as("the old holder's last append came before the new holder's grant")
        .isLessThan(grantedAt);
    long window = SESSION.toNanos() * 3 / 5; // session - the default margin (40 %)
    assertThat(lastAppended - partitioned)
        .as("appends stop within the lease's window after the last answered heartbeat")
        .isLessThanOrEqualTo(window + 500_000_000L);
    assertThat(refusal.participant()).isEqualTo("oms-a1");
    assertThat(refusal.epoch()).isEqualTo(epoch);
    assertThat(refusal.getMessage())
        .contains("journal append refused", "oms-a1", "epoch " + epoch, "stop taking input");
    // refused for good, writing nothing, also once the network is back
    proxy.heal();
    for (int i = 0; i < 20; i++) {
      assertThatThrownBy(() -> input.append(epoch, new byte[] {2}))
          .isInstanceOf(RoleNotHeldException.class);
      Thread.sleep(20);
    }
    assertThat(file.lastSequence()).isEqualTo(written);
    System.out.printf(
        "leased journal: last append %d ms after the partition, contender granted %d ms after"
            + " that%n",
        (lastAppended - partitioned) / 1_000_000, (grantedAt - lastAppended) / 1_000_000);
  }

  @Test
  void appendsAreRefusedBeforeAnyGrantAndOnceTheLeaseIsReleased() throws Exception {
    ZooKeeperRoleLease lease = lease(server.getConnectString(), "oms-a1");
    Journal file = fileJournal();
    LeasedJournal input = LeasedJournal.of(file, lease);
    assertThatThrownBy(() -> input.append(0, new byte[] {1}))
        .isInstanceOf(RoleNotHeldException.class)
        .hasMessageContaining("oms-a1 does not hold the primary role");
    assertThat(file.lastSequence()).isZero();

    long epoch = lease.acquire(input.epoch(), Duration.ofSeconds(10)).orElseThrow();
    input.fence(epoch);
    assertThat(input.append(epoch, new byte[] {1})).isEqualTo(1);
    assertThat(file.epoch()).isEqualTo(epoch);
    lease.release();
    assertThatThrownBy(() -> input.append(epoch, new byte[] {2}))
        .isInstanceOf(RoleNotHeldException.class);
    assertThat(file.lastSequence()).isEqualTo(1);
    assertThat(input.reader(1).poll((sequence, e, timestamp, payload) -> {}, 10)).isEqualTo(1);
  }

  @Test
  void aJournalOrLeaseThatIsMissingIsRefusedByName() throws Exception {
    ZooKeeperRoleLease lease = lease(server.getConnectString(), "oms-a1");
    assertThatThrownBy(() -> LeasedJournal.of(null, lease))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("LeasedJournal.journal = null: must be set");
    assertThatThrownBy(() -> LeasedJournal.of(runtime.journals().inMemory(), null))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("LeasedJournal.lease = null: must be set");
  }
}
